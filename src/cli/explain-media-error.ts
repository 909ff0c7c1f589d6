/**
 * One or two lines for an upload X could not process: FINALIZE or STATUS ended with
 * processing_info.state "failed" (X API v2 "Media upload"), `reason` being processing_info.error
 * as X worded it, already cleaned. X refuses a video longer than the account may post (most
 * accounts: 140 seconds; longer for accounts with an X subscription) at this step.
 */
export function explainProcessingFailure(file: string, reason: string | undefined): string {
  const said = reason ? ` (X said: ${reason})` : '';
  if (reason && /duration|too long|longer than|length/i.test(reason)) {
    return `${file}: the video is longer than this account may post${said}. Most accounts may post up to 140 seconds (longer needs an X subscription): trim it (e.g. with ffmpeg -t 140) and try again.`;
  }
  return `${file}: X could not process the upload${said}. Check that the file plays; re-encode video as MP4 (H.264, AAC) and try again.`;
}
