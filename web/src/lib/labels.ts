// Words for the API's enumerations, so no page shows `on_hold` or `reply_sent`.
import type { CaseStatus, Priority } from '../api/types';

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Waiting for customer',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

/** The customer's wording of a status: what it means for them. */
export const CUSTOMER_STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'Received, not yet answered',
  open: 'Being worked on',
  pending: 'Waiting for your reply',
  on_hold: 'Waiting for a third party',
  solved: 'Solved',
  closed: 'Closed',
};

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

const CHANNEL_LABELS: Record<string, string> = {
  web: 'Web', email: 'Email', chat: 'Chat', phone: 'Phone', social: 'Social media',
  sms: 'SMS', api: 'API', system: 'Redress',
};

export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as CaseStatus] ?? status;
}

export function priorityLabel(priority: string): string {
  return PRIORITY_LABELS[priority as Priority] ?? priority;
}
