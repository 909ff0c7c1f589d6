import { defineGroup } from '../command-spec.js';

/** "twauth media": the group of media-upload.ts. */
export const spec = defineGroup({
  name: 'media',
  topic: 'post',
  group: true,
  description: 'upload an image, GIF or video to post later (prints its media id)',
  help: 'Its command\'s options: "twauth help media upload".',
  examples: [
    'twauth media upload cat.jpg --alt "a cat"',
    'twauth tweet "look" --media-id "$(twauth media upload cat.jpg)"',
  ],
});
