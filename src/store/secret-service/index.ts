export * from './bus-address.js';
export * from './bus-connection.js';
export * from './lookup-password.js';
