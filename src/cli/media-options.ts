/**
 * The media options that `tweet`, `thread` and `media upload` share, declared once so that their
 * flags, types and help stay the same (README "Media").
 */
export const MEDIA_TIMEOUT_OPTION = {
  flags: '--media-timeout <sec>',
  type: 'string',
  description: 'how long to wait for X to process a video or GIF (default 600)',
} as const;

export const MAX_VIDEO_MB_OPTION = {
  flags: '--max-video-mb <mb>',
  type: 'string',
  description: "the account's video size limit, if above X's 512 MB",
} as const;

export const ALT_OPTION = {
  flags: '--alt <text>',
  type: 'list',
  description: 'alt text (at most 1000 characters) for the n-th --media; repeatable',
} as const;
