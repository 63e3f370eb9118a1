// The list of canned replies the composer offers: filtered by title as the agent types
// (after "/" in the text, or in the picker's own search field), moved through with the
// arrow keys, picked with Enter or a click. It only draws; the composer owns the keys.
import type { CannedReply } from '../lib/canned';

export function CannedList({ id, items, active, onPick, loading, error }: {
  id: string;
  items: CannedReply[];
  active: number;
  onPick: (reply: CannedReply) => void;
  loading: boolean;
  error: boolean;
}) {
  if (error) return <p class="canned-empty" role="status">Canned replies could not be loaded.</p>;
  if (loading) return <p class="canned-empty" role="status">Loading canned replies…</p>;
  if (items.length === 0) return <p class="canned-empty" role="status">No canned reply matches.</p>;
  return (
    <ul id={id} class="canned-list" role="listbox" aria-label="Canned replies">
      {items.map((item, index) => (
        <li key={item.id} id={`${id}-${item.id}`} role="option" aria-selected={index === active}
          class={index === active ? 'canned-option active' : 'canned-option'}
          onMouseDown={(e) => { e.preventDefault(); onPick(item); }}>
          <span class="canned-title">{item.title}</span>
          <span class="canned-preview">{item.body.slice(0, 90)}</span>
        </li>
      ))}
    </ul>
  );
}
