/** Why an outside string could not be used in an OAuth 1.0a computation. */
export type OAuthInputProblem =
  | 'lone-surrogate'
  | 'bad-percent-encoding'
  | 'bad-url'
  | 'bad-method'
  | 'reserved-name'
  | 'bad-token-response';

/**
 * A typed, user-presentable error from the pure core. Messages never contain the offending value
 * (it may be a secret); they say what kind of input was wrong.
 */
export class OAuthInputError extends Error {
  override readonly name = 'OAuthInputError';
  constructor(
    readonly problem: OAuthInputProblem,
    message: string,
  ) {
    super(message);
  }
}
