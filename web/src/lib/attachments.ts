// Files on a case: the ones an event lists (uploads have a url; an email's parts are kept
// inside the stored original and have none), and the checks a file passes before upload,
// the same the server makes (domain/attachment.h), so a person hears at once what is wrong.
import type { CaseEvent } from '../api/types';
import { UPLOAD_TYPES_SENTENCE } from '../api/errors';

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
export const MAX_FILES = 10;
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'];

export interface ListedAttachment {
  filename: string;
  size: number;
  contentType: string;
  /** Where to fetch it; absent when it lives only inside a stored email. */
  url?: string;
  isImage: boolean;
}

/** The attachments an event lists in `data.attachments`, malformed entries left out. */
export function eventAttachments(event: CaseEvent): ListedAttachment[] {
  const listed = event.data.attachments;
  if (!Array.isArray(listed)) return [];
  const out: ListedAttachment[] = [];
  for (const item of listed) {
    if (typeof item !== 'object' || item === null) continue;
    const a = item as Record<string, unknown>;
    if (typeof a.filename !== 'string') continue;
    const contentType = typeof a.content_type === 'string' ? a.content_type : 'application/octet-stream';
    const url = typeof a.url === 'string' && a.url.startsWith('/api/v1/attachments/') ? a.url : undefined;
    out.push({
      filename: a.filename || 'unnamed file',
      size: typeof a.size === 'number' ? a.size : 0,
      contentType,
      url,
      isImage: url !== undefined && contentType.startsWith('image/'),
    });
  }
  return out;
}

/** "12 KB", "3.4 MB": sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Why `file` cannot be attached, or null if it can. */
export function uploadProblem(file: { name: string; size: number; type: string }): string | null {
  if (!UPLOAD_TYPES.includes(file.type.toLowerCase())) return `${file.name}: ${UPLOAD_TYPES_SENTENCE}`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_UPLOAD_BYTES) return `${file.name} is ${formatSize(file.size)}; files can be at most 10 MB.`;
  return null;
}
