// The files an event lists, for both timelines: pictures shown small (a click opens the
// full picture), other uploads as download links, an email's parts by name only (they are
// kept inside the stored original message).
import type { CaseEvent } from '../api/types';
import { eventAttachments, formatSize } from '../lib/attachments';

export function AttachmentList({ event }: { event: CaseEvent }) {
  const files = eventAttachments(event);
  if (files.length === 0) return null;
  return (
    <ul class="attachments" aria-label="Attached files">
      {files.map((file, i) => (
        <li key={i}>
          {file.url && file.isImage && (
            <a href={file.url} target="_blank" rel="noopener">
              <img class="attachment-picture" src={file.url} alt={`Attached picture ${file.filename}`} loading="lazy" />
            </a>
          )}
          {file.url
            ? <a href={file.url} download={file.filename}>{file.filename}</a>
            : <span>{file.filename}</span>}
          <span class="attachment-size"> ({formatSize(file.size)})</span>
        </li>
      ))}
    </ul>
  );
}
