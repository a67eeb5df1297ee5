import { describe, expect, it } from '@jest/globals';
import { formatRevision, parseRevision } from './revision.js';

describe('revision names', () => {
  const sha = 'a'.repeat(40);

  it('round-trips a git revision', () => {
    expect(formatRevision(parseRevision(`main@sha1:${sha}`))).toBe(`main@sha1:${sha}`);
  });

  it('keeps branch names with slashes', () => {
    expect(parseRevision(`release/2026.1@sha1:${sha}`).branch).toBe('release/2026.1');
  });

  it('accepts a local sha256 revision', () => {
    expect(parseRevision(`local@sha256:${'b'.repeat(64)}`).algorithm).toBe('sha256');
  });

  it.each(['main', `main@sha1:${'a'.repeat(39)}`, `main@sha256:${sha}`, `main@sha1:${'A'.repeat(40)}`])('refuses %s', (text) => {
    expect(() => parseRevision(text)).toThrow(expect.objectContaining({ code: 'SOURCE_BAD_REVISION' }));
  });
});
