import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './signature-verify.js';

/**
 * The consent form's anti-forgery token, bound to the request token: only a page the emulator
 * served can approve that request token (X's form carries an authenticity_token for the same reason).
 */
export function authenticityToken(formKey: Buffer, requestToken: string): string {
  return createHmac('sha256', formKey).update(requestToken).digest('base64url');
}

export function isAuthenticityTokenValid(formKey: Buffer, requestToken: string, received: string | undefined): boolean {
  return received !== undefined && constantTimeEqual(authenticityToken(formKey, requestToken), received);
}
