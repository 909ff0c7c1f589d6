export * from './errors.js';
export * from './percent-encode.js';
export * from './params.js';
export * from './base-url.js';
export * from './credentials.js';
export * from './nonce.js';
export * from './sign.js';
export * from './token-response.js';
