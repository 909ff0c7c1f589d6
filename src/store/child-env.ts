/**
 * The environment a child process of twauth gets: this one without any TWAUTH_* variable. They
 * hold the consumer secret and access tokens (README "Environment"), which no child needs: the
 * keychain helper gets its secret on stdin, and a browser must never see one. What a child does
 * need (PATH, HOME, DISPLAY, DBUS_SESSION_BUS_ADDRESS, XDG_*, proxies) is kept.
 */
export function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.toUpperCase().startsWith('TWAUTH_')));
}
