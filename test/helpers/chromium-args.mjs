// The one place that says how tests launch Debian's Chromium with playwright-core; used by
// browser-user.mjs (a command) and chromium.ts (for tests). Plain JavaScript so both can load it.
export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
  // Never touch the Secret Service of the test (a private gnome-keyring, or one that hangs on
  // purpose): Chromium would otherwise store its own "Chromium Safe Storage" key there.
  '--password-store=basic',
];

/**
 * The environment for Chromium: the caller's, minus the D-Bus session address (same reason as
 * --password-store=basic: the test's bus is for twauth alone).
 * @param {Record<string, string | undefined>} env
 * @returns {Record<string, string>}
 */
export function chromiumEnv(env) {
  /** @type {Record<string, string>} */
  const out = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && k !== 'DBUS_SESSION_BUS_ADDRESS') out[k] = v;
  }
  return out;
}
