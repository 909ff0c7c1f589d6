import { Command, Option } from 'commander';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { DEFAULT_CALLBACK_PORT } from './settings.js';
import { VERSION } from './version.js';

/** A command's action: loaded only when that command runs (start-up time: README "Performance"). */
export type Runner = (name: string, args: unknown[], command: Command) => Promise<void>;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * The command line (README "Commands"): options and help only. Each action hands over to
 * `run`, which imports the command's module on demand.
 */
export function buildProgram(run: Runner, configure: (program: Command) => void): Command {
  const program = new Command('twauth');
  // Before any .command(): subcommands copy these settings when they are created.
  configure(program);
  program
    .description('Log in to X with OAuth 1.0a from a terminal, then act as that person from the shell and from scripts.')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    // Each command's help also lists the options every command takes (--json, --account, …).
    .configureHelp({ showGlobalOptions: true })
    .addOption(new Option('--api-base <url>', 'API base URL (env TWAUTH_API_BASE; default https://api.x.com)'))
    .option('--account <name|id>', 'act as this stored account (env TWAUTH_ACCOUNT)')
    .option('--json', 'machine-readable output on stdout')
    .option('--verbose', 'trace requests on stderr (secrets redacted)')
    .option('--timeout <sec>', 'longest wait: for X on requests (30), for the person on login (300)')
    .option('--wait', 'when rate limited, sleep until the limit resets and retry (safe requests only)')
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      examples('twauth login', 'twauth tweet "hello"', 'twauth help login') +
        `\nRun "twauth help <command>" for a command's options and examples.\n\n${EXIT_CODES_HELP}\n`,
    );

  const action = (name: string) => (...args: unknown[]) => run(name, args.slice(0, -1), args[args.length - 1] as Command);

  program
    .command('login')
    .description('log in with three-legged OAuth 1.0a (browser + loopback callback, PIN fallback) and store the account')
    .option('--pin', 'use the PIN (oob) flow: paste the PIN X shows')
    .option('--no-browser', 'do not open a browser; only print the URL')
    .option('--port <n>', `loopback callback port (0 = any free port)`, String(DEFAULT_CALLBACK_PORT))
    .option('--callback-url <url>', 'a registered callback URL of another shape (must point at this machine to be received)')
    .addOption(new Option('--access <level>', 'ask X for this access level').choices(['read', 'write']))
    .option('--force-login', 'make X ask for the username and password again')
    .option('--screen-name <name>', 'pre-fill the username on X')
    .option('--consumer-key <key>', "the app's consumer key (prefer TWAUTH_CONSUMER_KEY: flags end up in shell history)")
    .option('--consumer-secret <secret>', "the app's consumer secret (prefer TWAUTH_CONSUMER_SECRET or the prompt)")
    .option('--with-token', 'read credentials (twauth token --json or --env output) from stdin, check and store them')
    .addHelpText(
      'after',
      `\nThe authorize URL is always printed on stderr. The default callback URL is http://127.0.0.1:${DEFAULT_CALLBACK_PORT}/callback:\nregister it in your app's settings on X.` +
        examples('twauth login', 'twauth login --pin', 'twauth token --env | ssh host twauth login --with-token'),
    )
    .action(action('login'));

  program
    .command('whoami')
    .description('print the username of the current account (GET /2/users/me)')
    .addHelpText('after', examples('twauth whoami', 'twauth whoami --json | jq -r .id', 'twauth --account sandbox_bob whoami'))
    .action(action('whoami'));

  program
    .command('tweet')
    .argument('[text]', 'the text; "-" or absent with piped stdin reads standard input; optional with media')
    .description('post a tweet (POST /2/tweets), with images, a GIF or a video; prints its id and URL')
    .option('--reply-to <id>', 'post as a reply to this tweet')
    .option('--file <path>', 'read the text from this file')
    .option('--media <file>', 'attach an image, GIF or video (uploaded first); repeatable: up to 4 images, or 1 GIF, or 1 video', collect)
    .option('--alt <text>', 'alt text (at most 1000 characters) for the n-th --media; repeatable', collect)
    .option('--media-id <id>', 'attach media uploaded earlier (twauth media upload); repeatable', collect)
    .option('--media-timeout <sec>', 'how long to wait for X to process a video or GIF (default 600)')
    .option('--max-video-mb <mb>', "the account's video size limit, if above X's 512 MB")
    .option('--dry-run', 'check text and files and show what would be sent, without sending anything')
    .addHelpText(
      'after',
      examples(
        'twauth tweet "hello from my terminal"',
        'echo "built $(date)" | twauth tweet',
        'twauth tweet "look" --media cat.jpg --alt "a grey cat asleep on a keyboard"',
        'twauth tweet --file notes.txt --media clip.mp4',
        'twauth tweet --dry-run "will this fit?"',
      ),
    )
    .action(action('tweet'));

  program
    .command('media')
    .description('upload an image, GIF or video to post later (prints its media id)')
    .addHelpText('after', `\nIts subcommand's options: "twauth help media upload".\n` + examples('twauth media upload cat.jpg --alt "a cat"', 'twauth tweet "look" --media-id "$(twauth media upload cat.jpg)"'))
    .command('upload')
    .argument('<file>', 'a JPEG, PNG, WebP, GIF, MP4 or MOV file')
    .description('upload a file (X API v2 chunked upload); prints the media id for tweet --media-id')
    .option('--alt <text>', 'alt text (at most 1000 characters)')
    .addOption(new Option('--category <category>', 'upload category (default: from the content)').choices(['tweet_image', 'tweet_gif', 'tweet_video']))
    .option('--media-timeout <sec>', 'how long to wait for X to process a video or GIF (default 600)')
    .option('--max-video-mb <mb>', "the account's video size limit, if above X's 512 MB")
    .option('--dry-run', 'check the file and show what would be uploaded, without sending anything')
    .addHelpText('after', examples('twauth media upload cat.jpg --alt "a cat"', 'id=$(twauth media upload clip.mp4) && twauth tweet "later" --media-id "$id"', 'twauth --json media upload anim.gif'))
    .action(action('media-upload'));

  program
    .command('api')
    .argument('<path>', 'path relative to the API base (/2/users/me) or a full URL')
    .description('send any signed request; prints the response body')
    .option('-X, --method <method>', 'HTTP method (default GET, or POST with -d / --json-body)')
    .option('-d, --data <key=value>', 'form field (signed); repeatable', collect)
    .option('-q, --query <key=value>', 'query parameter (signed); repeatable', collect)
    .option('--json-body <json|@file|->', 'JSON request body (not signed): text, @file, or - for stdin')
    .option('-H, --header <name:value>', 'extra request header; repeatable', collect)
    .addHelpText(
      'after',
      examples('twauth api /2/users/me', 'twauth api -q user.fields=created_at /2/users/me', `twauth api -X POST --json-body '{"text":"hi"}' /2/tweets`),
    )
    .action(action('api'));

  program
    .command('sign')
    .argument('<method>', 'HTTP method')
    .argument('<url>', 'the full URL, query included')
    .description('print the Authorization header for a request, without sending it')
    .option('-d, --data <key=value>', 'form field that will be sent (signed); repeatable', collect)
    .option('--curl', 'print a ready curl command line instead')
    .addHelpText(
      'after',
      examples(
        'curl -H "Authorization: $(twauth sign GET https://api.x.com/2/users/me)" https://api.x.com/2/users/me',
        'twauth sign --curl GET https://api.x.com/2/users/me | sh',
        'twauth sign POST https://api.x.com/1.1/statuses/update.json -d status=hello',
      ),
    )
    .action(action('sign'));

  program
    .command('accounts')
    .description('list stored accounts')
    .addHelpText('after', examples('twauth accounts', 'twauth accounts --json | jq -r ".[].username"'))
    .action(action('accounts'));

  program
    .command('switch')
    .argument('<account>', 'username or user id')
    .description('make a stored account the default')
    .addHelpText('after', examples('twauth switch sandbox_bob', 'twauth switch 1000000002'))
    .action(action('switch'));

  program
    .command('status')
    .description('check every stored account against the API; exit 4 if any is invalid')
    .addHelpText('after', examples('twauth status', 'twauth status --json'))
    .action(action('status'));

  program
    .command('logout')
    .description('revoke the access token at X, then forget the account')
    .option('--all', 'every stored account')
    .option('--local-only', 'forget without revoking at X')
    .addHelpText('after', examples('twauth logout', 'twauth logout --account sandbox_bob', 'twauth logout --all --local-only'))
    .action(action('logout'));

  program
    .command('token')
    .description("print the current account's credentials (the only command that prints secrets)")
    .option('--env', 'as export lines that twauth accepts back')
    .addHelpText('after', examples('twauth token --json', 'twauth token --env > ci-credentials.env', 'eval "$(twauth token --env)"'))
    .action(action('token'));

  const sandbox = program
    .command('sandbox')
    .description('the local X emulator: try twauth (or your scripts) without an X account')
    .addHelpText(
      'after',
      `\n"twauth sandbox" alone is "twauth sandbox run". Their options: "twauth help sandbox run",\n"twauth help sandbox approve".\n` +
        examples('twauth sandbox --port 0 > sandbox.env &', 'BROWSER="twauth sandbox approve" twauth login --port 0'),
    );
  sandbox
    .command('run', { isDefault: true })
    .description('run the emulator in the foreground and print the environment to use it')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--no-rate-limits', 'never answer 429 for rate limits (for benchmarks and load tests)')
    .option('--media-processing-ms <ms>', 'how long video and GIF processing takes (default 3000; 0: done at FINALIZE)')
    .option('--fail-media-processing <n>', 'the next N uploads that go through processing fail')
    .option('--max-video-mb <mb>', "the sandbox account's video size limit (default 512)")
    .addHelpText('after', examples('twauth sandbox', 'twauth sandbox run --port 8080', 'twauth sandbox --no-rate-limits', 'twauth sandbox --fail-media-processing 1'))
    .action(action('sandbox'));
  sandbox
    .command('approve')
    .argument('<url>', 'the authorize URL twauth login printed')
    .description("act as the person in the browser: press \"Authorize app\" on the sandbox's page (use as BROWSER)")
    .option('--cancel', 'press "Cancel" instead')
    .option('--user <name>', 'the sandbox user to log in as')
    .addHelpText('after', examples('BROWSER="twauth sandbox approve" twauth login', 'twauth sandbox approve --cancel "$URL"'))
    .action(action('sandbox-approve'));

  program
    .command('doctor')
    .description('check Node, the credential store, the callback port, the clock and the token')
    .addHelpText('after', examples('twauth doctor', 'twauth doctor --json'))
    .action(action('doctor'));

  program
    .command('completion')
    .argument('<shell>', 'bash, zsh or fish')
    .description('print a shell completion script')
    .addHelpText(
      'after',
      examples('source <(twauth completion bash)', 'twauth completion bash > ~/.local/share/bash-completion/completions/twauth', 'twauth completion fish > ~/.config/fish/completions/twauth.fish'),
    )
    .action(action('completion'));

  program
    .command('exit-codes')
    .description('list the exit codes')
    .addHelpText('after', `\n${EXIT_CODES_HELP}\n` + examples('twauth exit-codes', 'twauth help exit-codes'))
    .action(action('exit-codes'));

  return program;
}
