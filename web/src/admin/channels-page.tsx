// Channels: what the server is configured to receive and send mail with (read-only: it
// lives in the config file) and how each channel is doing: the last poll of each mailbox,
// mail waiting in or failed from the outbox, and when mail last arrived.
import type { MailServerView } from '../api/types';
import { ErrorMessage, Loading, Time, useTitle } from '../ui/common';
import { useSession } from '../ui/session';
import { useAsync } from '../ui/use-async';
import { AdminNav } from './admin-nav';

function Server({ server }: { server: MailServerView }) {
  return (
    <>
      <div><dt>Server</dt><dd class="mono">{server.url}</dd></div>
      <div><dt>TLS</dt><dd>{server.tls}</dd></div>
      <div><dt>User name</dt><dd>{server.username || '—'}</dd></div>
      <div><dt>Password</dt><dd>{server.password_configured ? 'Configured (not shown)' : 'None'}</dd></div>
    </>
  );
}

export function ChannelsPage() {
  const { api } = useSession();
  useTitle('Channels');
  const channels = useAsync(() => api.getChannels(), [api]);
  const email = channels.data?.email;
  return (
    <div class="admin-page channels-page">
      <h1>Administration</h1>
      <AdminNav current="channels" />
      <p class="hint">Channels are set in the server's configuration file ([mail]); this page shows them and their state.</p>
      <ErrorMessage error={channels.error} onRetry={channels.reload} />
      {channels.loading && !channels.data && <Loading what="the channels" />}
      {email && (
        <>
          <section class="panel" aria-labelledby="email-title">
            <h2 id="email-title">Email</h2>
            {!email.enabled && <p class="empty">Email is not configured: no mail is received or sent.</p>}
            <dl class="facts">
              <div><dt>Our addresses</dt><dd>{email.addresses.length > 0 ? email.addresses.join(', ') : '—'}</dd></div>
              <div><dt>Sender name</dt><dd>{email.from_name}</dd></div>
              <div><dt>Last message received</dt><dd>{email.last_inbound_at ? <Time iso={email.last_inbound_at} /> : 'Never'}</dd></div>
            </dl>
          </section>
          <section class="panel" aria-labelledby="smtp-title">
            <h2 id="smtp-title">Outgoing mail (SMTP)</h2>
            {email.smtp ? <dl class="facts"><Server server={email.smtp} /></dl> : <p class="empty">No SMTP relay configured.</p>}
            <dl class="facts outbox-counts">
              <div><dt>Waiting to be sent</dt><dd>{email.outbox.queued}</dd></div>
              <div><dt>Sent</dt><dd>{email.outbox.sent}</dd></div>
              <div class={email.outbox.failed > 0 ? 'failed' : ''}><dt>Failed</dt><dd>{email.outbox.failed}</dd></div>
            </dl>
          </section>
          <section class="panel" aria-labelledby="mailboxes-title">
            <h2 id="mailboxes-title">Mailboxes polled (IMAP)</h2>
            {email.mailboxes.length === 0 && <p class="empty">No mailboxes are polled.</p>}
            {email.mailboxes.map((box) => (
              <div key={box.name} class="mailbox">
                <h3>{box.name}</h3>
                <dl class="facts">
                  <Server server={box.server} />
                  <div><dt>Folder</dt><dd>{box.folder}{box.processed_folder ? ` → ${box.processed_folder}` : ''}</dd></div>
                  <div><dt>New mail</dt><dd>{box.idle
                    ? `Watched with IMAP IDLE, and polled every ${box.poll_seconds} s`
                    : `Polled every ${box.poll_seconds} s`}</dd></div>
                  <div><dt>Last poll</dt><dd>{box.last_poll_at ? <Time iso={box.last_poll_at} /> : 'Never'}</dd></div>
                  <div><dt>Cursor</dt><dd>{box.last_uid === null ? '—' : `UID ${box.last_uid} (validity ${box.uidvalidity})`}</dd></div>
                </dl>
              </div>
            ))}
          </section>
        </>
      )}
    </div>
  );
}
