// Debian's Chromium, launched headless through playwright-core, for tests that render pages
// themselves (screenshots of twauth's HTML pages, say). Close the browser when done.
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, chromiumEnv } from './chromium-args.mjs';

export { CHROMIUM_ARGS, CHROMIUM_PATH };

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
    env: chromiumEnv(process.env),
    ...options,
  });
}
