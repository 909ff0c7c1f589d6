/**
 * What to tell a person when X could not process an upload: FINALIZE or STATUS ended with
 * processing_info.state "failed" (X API v2 "Media upload"), `reason` being processing_info.error
 * as X worded it, already cleaned. X refuses a video longer than the account may post (most
 * accounts: 140 seconds; longer for accounts with an X subscription) at this step.
 */
export function explainProcessingFailure(
  file: string,
  mediaId: string,
  reason: string | undefined,
): { message: string; hint: string } {
  const said = reason ? ` (X said: ${reason})` : '';
  if (reason && /duration|too long|longer than|length/i.test(reason)) {
    return {
      message: `${file}: the video is longer than this account may post${said}`,
      hint: 'most accounts may post up to 140 seconds (longer needs an X subscription): trim it (e.g. with ffmpeg -t 140) and try again',
    };
  }
  return {
    message: `${file}: X could not process the upload (media ${mediaId})${reason ? `: ${reason}` : ''}`,
    hint: 'check that the file plays (X takes H.264/AAC video in MP4 or MOV), or post another',
  };
}
