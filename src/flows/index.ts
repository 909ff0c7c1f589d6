export * from './callback-pages.js';
export * from './callback-server.js';
export * from './login.js';
export * from './login-errors.js';
export * from './oauth-endpoints.js';
export * from './verifier-input.js';
