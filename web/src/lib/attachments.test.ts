import { describe, expect, it } from 'vitest';
import type { CaseEvent } from '../api/types';
import { eventAttachments, formatSize, uploadProblem } from './attachments';

function event(data: Record<string, unknown>): CaseEvent {
  return { seq: 1, type: 'case_opened', at: '2026-12-02T08:00:00.000000Z', actor: { kind: 'customer', id: 1, name: 'Asha' },
    channel: 'web', visibility: 'public', data } as unknown as CaseEvent;
}

describe('eventAttachments', () => {
  it('lists uploads with their url and marks pictures', () => {
    const listed = eventAttachments(event({ attachments: [
      { id: 4, filename: 'photo.png', content_type: 'image/png', size: 2048, url: '/api/v1/attachments/4' },
      { id: 5, filename: 'receipt.pdf', content_type: 'application/pdf', size: 10, url: '/api/v1/attachments/5' },
    ] }));
    expect(listed.map((a) => [a.filename, a.isImage, a.url])).toEqual([
      ['photo.png', true, '/api/v1/attachments/4'],
      ['receipt.pdf', false, '/api/v1/attachments/5'],
    ]);
  });

  it('keeps email parts without a link and drops what is not an attachment', () => {
    const listed = eventAttachments(event({ attachments: [
      { filename: 'scan.jpg', content_type: 'image/jpeg', size: 5, stored: true },
      { filename: 'evil', url: 'https://elsewhere.example/x' },
      'not an object', null, { size: 3 },
    ] }));
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatchObject({ filename: 'scan.jpg', url: undefined, isImage: false });
    expect(listed[1].url).toBeUndefined();
    expect(eventAttachments(event({}))).toEqual([]);
  });
});

describe('uploadProblem', () => {
  it('accepts pictures, PDF and text within 10 MB and says what is wrong otherwise', () => {
    expect(uploadProblem({ name: 'a.png', size: 100, type: 'image/png' })).toBeNull();
    expect(uploadProblem({ name: 'b.pdf', size: 10 * 1024 * 1024, type: 'application/pdf' })).toBeNull();
    expect(uploadProblem({ name: 'c.html', size: 100, type: 'text/html' })).toMatch(/Only pictures/);
    expect(uploadProblem({ name: 'd.png', size: 0, type: 'image/png' })).toMatch(/empty/);
    expect(uploadProblem({ name: 'e.pdf', size: 10 * 1024 * 1024 + 1, type: 'application/pdf' })).toMatch(/at most 10 MB/);
  });

  it('formats sizes for people', () => {
    expect(formatSize(512)).toBe('512 bytes');
    expect(formatSize(2048)).toBe('2 KB');
    expect(formatSize(3.4 * 1024 * 1024)).toBe('3.4 MB');
  });
});
