/**
 * The Unix socket paths a D-Bus server address names (D-Bus specification, "Server Addresses"):
 * `unix:path=/run/user/1000/bus`, `unix:abstract=/tmp/dbus-x,guid=…`, several separated by `;`,
 * values percent-encoded. Other transports (tcp, launchd, autolaunch) yield nothing: the caller
 * then leaves the keychain to keytar/libsecret. An abstract socket is returned with a leading NUL,
 * which is how Node's net module connects to one on Linux.
 */
export function busSocketPaths(address: string | undefined): string[] {
  const paths: string[] = [];
  for (const entry of (address ?? '').split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0 || entry.slice(0, colon) !== 'unix') continue;
    const keys = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      let value: string;
      try {
        value = decodeURIComponent(pair.slice(eq + 1));
      } catch {
        continue;
      }
      keys.set(pair.slice(0, eq), value);
    }
    const path = keys.get('path');
    const abstract = keys.get('abstract');
    if (path) paths.push(path);
    else if (abstract) paths.push(`\0${abstract}`);
  }
  return paths;
}
