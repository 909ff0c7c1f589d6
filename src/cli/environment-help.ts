import { DEFAULT_API_BASE, DEFAULT_SANDBOX_PORT } from './settings.js';

/**
 * `twauth help environment`: every variable twauth reads, and which wins over which. Kept within
 * 80 columns. README "Environment" says the same.
 */
export const ENVIRONMENT_HELP = `Environment variables (a flag always wins over its variable):

Which credentials a command acts with, first match wins:
  1. --account NAME              a stored account, named on the command line
  2. TWAUTH_ACCESS_TOKEN         a token pair from the environment (CI), with
     TWAUTH_ACCESS_TOKEN_SECRET  TWAUTH_CONSUMER_KEY and TWAUTH_CONSUMER_SECRET
  3. TWAUTH_ACCOUNT=NAME         a stored account, named in the environment
  4. the default stored account  (twauth switch), for the API base in use
  Nothing matches: exit 4, "run twauth login".

Where requests go:
  TWAUTH_API_BASE      API base URL, default ${DEFAULT_API_BASE}
                       (--api-base wins). A stored account's token goes only
                       to the base it came from. twauth sandbox listens on
                       http://127.0.0.1:${DEFAULT_SANDBOX_PORT} unless given --port.
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY
                       proxies for requests to X

Credentials:
  TWAUTH_CONSUMER_KEY, TWAUTH_CONSUMER_SECRET
                       the app's key and secret (login; and with the pair below)
  TWAUTH_ACCESS_TOKEN, TWAUTH_ACCESS_TOKEN_SECRET
                       a user's token pair (twauth token --env prints them)
  TWAUTH_USER_ID, TWAUTH_SCREEN_NAME
                       optional, who that pair belongs to
  TWAUTH_ACCOUNT       which stored account to use; --account wins

Storage:
  TWAUTH_STORE         keychain or file: force one store, no fallback
  TWAUTH_CONFIG_DIR    account metadata (and the file store); default
                       $XDG_CONFIG_HOME/twauth, else ~/.config/twauth
  TWAUTH_KEYCHAIN_TIMEOUT
                       seconds each keychain call may take (default 3)
  DBUS_SESSION_BUS_ADDRESS
                       (Linux) the session bus of the keychain (Secret Service)

The terminal and the browser:
  BROWSER              a command run with the authorize URL as its last word
  NO_COLOR             no colour and no spinner
  HOME                 where --from-twurlrc and --from-xurl look by default

Start-up:
  NODE_COMPILE_CACHE   where the V8 compile cache goes (default
                       $XDG_CACHE_HOME/twauth, else ~/.cache/twauth)
  NODE_DISABLE_COMPILE_CACHE=1
                       no compile cache
`;

/** Every variable the text above names, in its order (`twauth environment --json`). */
export const ENVIRONMENT_VARIABLES = [
  'TWAUTH_ACCESS_TOKEN',
  'TWAUTH_ACCESS_TOKEN_SECRET',
  'TWAUTH_ACCOUNT',
  'TWAUTH_API_BASE',
  'HTTPS_PROXY',
  'HTTP_PROXY',
  'NO_PROXY',
  'TWAUTH_CONSUMER_KEY',
  'TWAUTH_CONSUMER_SECRET',
  'TWAUTH_USER_ID',
  'TWAUTH_SCREEN_NAME',
  'TWAUTH_STORE',
  'TWAUTH_CONFIG_DIR',
  'TWAUTH_KEYCHAIN_TIMEOUT',
  'DBUS_SESSION_BUS_ADDRESS',
  'BROWSER',
  'NO_COLOR',
  'HOME',
  'NODE_COMPILE_CACHE',
  'NODE_DISABLE_COMPILE_CACHE',
] as const;
