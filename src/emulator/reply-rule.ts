import type { EmulatorUser, PostedTweet } from './types.js';

/**
 * X's reply rule for self-serve API apps (since 2026-02-23): a reply is allowed only when the
 * post's author mentioned or quoted the replying account. Replying to one's own post (a thread)
 * is always allowed. The emulator has no quotes, so a mention of @username in the post decides.
 */
export function replyAllowed(target: PostedTweet, replier: EmulatorUser): boolean {
  if (target.authorId === replier.id) return true;
  const mention = new RegExp(`(^|[^A-Za-z0-9_])@${replier.username}(?![A-Za-z0-9_])`, 'i');
  return mention.test(target.text);
}
