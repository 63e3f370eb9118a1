// A customer opens a case: a subject, what happened, and files that show it (a photo of the
// damaged item, a receipt). Files are checked here as the server checks them, uploaded one
// by one when the form is sent, and named in the new case's first event.
import { useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../api/idempotency';
import { MAX_FILES, UPLOAD_TYPES, formatSize, uploadProblem } from '../lib/attachments';
import { paths } from '../lib/routes';
import { ErrorMessage, Field, useTitle } from '../ui/common';
import { Link, navigate } from '../ui/router';
import { useSession } from '../ui/session';

export function NewCasePage() {
  const { api } = useSession();
  useTitle('Open a new case');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const key = useRef<string | null>(null);
  // A file uploaded on an earlier try is not sent again.
  const uploaded = useRef(new Map<File, number>());

  const addFiles = (list: FileList | null) => {
    const problems: string[] = [];
    const accepted: File[] = [];
    for (const file of Array.from(list ?? [])) {
      const problem = uploadProblem(file);
      if (problem) problems.push(problem);
      else accepted.push(file);
    }
    const room = MAX_FILES - files.length;
    if (accepted.length > room) problems.push(`At most ${MAX_FILES} files can be attached.`);
    setFileProblem(problems.length > 0 ? problems.join(' ') : null);
    setFiles([...files, ...accepted.slice(0, Math.max(0, room))]);
    key.current = null;
  };

  return (
    <form class="card new-case" aria-labelledby="new-case-title" onSubmit={async (e) => {
      e.preventDefault();
      key.current ??= newIdempotencyKey();
      setError(null);
      try {
        const ids: number[] = [];
        for (const [i, file] of files.entries()) {
          let id = uploaded.current.get(file);
          if (id === undefined) {
            setBusy(`Uploading ${i + 1} of ${files.length}…`);
            id = (await api.uploadAttachment(file)).id;
            uploaded.current.set(file, id);
          }
          ids.push(id);
        }
        setBusy('Sending…');
        const input = ids.length > 0 ? { subject: subject.trim(), body, attachment_ids: ids } : { subject: subject.trim(), body };
        const created = await api.createCase(input, key.current);
        navigate(paths.portalCase(created.id));
      } catch (err) {
        setError(err);
        setBusy(null);
      }
    }}>
      <p class="breadcrumb"><Link href={paths.portal()}>← My cases</Link></p>
      <h1 id="new-case-title">Open a new case</h1>
      <Field id="new-subject" label="Subject" hint="A few words, for example “Refund not received for order 4411”.">
        <input id="new-subject" type="text" required maxLength={300} value={subject}
          aria-describedby="new-subject-hint"
          onInput={(e) => { setSubject(e.currentTarget.value); key.current = null; }} />
      </Field>
      <Field id="new-body" label="What happened?" hint="Include dates, order numbers and what you were told.">
        <textarea id="new-body" required rows={8} value={body} aria-describedby="new-body-hint"
          onInput={(e) => { setBody(e.currentTarget.value); key.current = null; }} />
      </Field>
      <Field id="new-files" label="Files (optional)"
        hint={`Photos, PDF or text files, up to ${MAX_FILES} files of at most 10 MB each.`}>
        <input id="new-files" type="file" multiple accept={UPLOAD_TYPES.join(',')} aria-describedby="new-files-hint"
          onChange={(e) => { addFiles(e.currentTarget.files); e.currentTarget.value = ''; }} />
      </Field>
      {fileProblem && <p class="error" role="alert">{fileProblem}</p>}
      {files.length > 0 && (
        <ul class="file-list" aria-label="Files to attach">
          {files.map((file, i) => (
            <li key={`${file.name}-${i}`}>
              <span>{file.name} ({formatSize(file.size)})</span>
              <button type="button" class="button secondary small" aria-label={`Remove ${file.name}`}
                onClick={() => { setFiles(files.filter((_, j) => j !== i)); key.current = null; }}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <ErrorMessage error={error} />
      <button type="submit" class="button primary" disabled={busy !== null}>{busy ?? 'Open case'}</button>
    </form>
  );
}
