// Idempotency-Key values for POSTs. crypto.getRandomValues works on plain-HTTP origins too,
// where crypto.randomUUID does not exist.

export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
