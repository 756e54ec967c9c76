/** A section's title line, as the story prints it. */
export const sectionHeading = (title: string): string =>
  `\n── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}`;
