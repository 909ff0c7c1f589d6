/** The Secret Service object (Secret Service API, org.freedesktop.Secret.Service). */
export const SECRET_SERVICE = {
  destination: 'org.freedesktop.secrets',
  path: '/org/freedesktop/secrets',
  interface: 'org.freedesktop.Secret.Service',
} as const;
