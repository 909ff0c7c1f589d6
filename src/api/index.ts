export * from './client.js';
export * from './clock.js';
export * from './errors.js';
export * from './error-body.js';
export * from './http-transport.js';
export * from './rate-limit.js';
export * from './redact.js';
export * from './retry-policy.js';
