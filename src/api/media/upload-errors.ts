/** X finished processing an upload with state `failed` (processing_info.error says why). */
export class MediaProcessingError extends Error {
  override readonly name = 'MediaProcessingError';
  constructor(
    readonly file: string,
    readonly mediaId: string,
    readonly reason: string | undefined,
  ) {
    super(`${file}: X could not process the upload (media ${mediaId})${reason ? `: ${reason}` : ''}`);
  }
}

/** Processing did not end within --media-timeout. */
export class MediaTimeoutError extends Error {
  override readonly name = 'MediaTimeoutError';
  constructor(
    readonly file: string,
    readonly mediaId: string,
    readonly seconds: number,
  ) {
    super(`${file}: X was still processing media ${mediaId} after ${seconds} s`);
  }
}

/** X answered a media request with something that is not what X documents. */
export class MediaProtocolError extends Error {
  override readonly name = 'MediaProtocolError';
}
