import type { Random } from '../prng';

/** Requirements-engineering text: CRS titles and bodies, review comments. */

const crsSubjects = [
  'Authentication and password policy', 'Payment gateway integration', 'Audit logging and retention',
  'Role-based access control', 'Data export to CSV and PDF', 'Notification preferences',
  'Multi-factor authentication', 'Order search and filtering', 'Offline mode for field technicians',
  'GDPR data subject requests', 'Invoice generation', 'Onboarding wizard', 'Single sign-on with SAML',
  'Rate limiting for the public API', 'Accessibility (WCAG 2.1 AA)', 'Mobile push notifications',
  'Reporting dashboard', 'Inventory synchronisation', 'Appointment scheduling', 'Password reset flow',
  'Refunds and chargebacks', 'Document versioning', 'Bulk user import', 'Session timeout handling',
  'Address validation', 'Multi-currency pricing', 'Customer support ticketing', 'Data backup and restore',
];
const crsQualifiers = ['', '', '', ' — phase 2', ' for mobile', ' (EU)', ' v2', ' for administrators'];

export function crsTitle(random: Random): string {
  return random.pick(crsSubjects) + random.pick(crsQualifiers);
}

export const actors = [
  'customer', 'administrator', 'support agent', 'team lead', 'auditor', 'guest user',
  'field technician', 'finance officer',
];
const userActions = ['view', 'export', 'approve', 'cancel', 'search', 'filter', 'update', 'archive', 'share', 'download'];
export const objects = [
  'their order history', 'pending invoices', 'audit log entries', 'user accounts', 'saved payment methods',
  'notification preferences', 'project documents', 'open support tickets', 'scheduled appointments',
];
const conditions = [
  '', ' within two clicks from the dashboard', ' without contacting support', ' from a mobile device',
  ' only after two-factor verification', ' in bulk (up to 500 items at once)', ' in their preferred language',
];
const systemActions = [
  'send an email confirmation for', 'record an audit entry for', 'validate', 'encrypt at rest',
  'retain', 'lock', 'synchronise', 'notify the account owner about changes to',
];
const timings = [
  'within 5 seconds', 'every night at 02:00 UTC', 'immediately', 'for at least 7 years',
  'after 5 consecutive failed attempts', 'before the end of the business day',
];
export const qualityRequirements = [
  '95% of search requests shall complete within 200 ms under a load of 500 concurrent users.',
  'The service shall be available 99.9% of the time per calendar month, excluding announced maintenance.',
  'All personal data shall be encrypted in transit (TLS 1.2 or later) and at rest (AES-256).',
  'The user interface shall conform to WCAG 2.1 level AA.',
  'Passwords shall be at least 12 characters long and stored only as bcrypt hashes (cost 10 or more).',
  'Every change to a record shall be traceable to a user and a timestamp.',
  'The system shall support 10,000 active users without degradation of response times.',
  'A failed payment provider shall not block order entry; orders are queued and retried for 24 hours.',
  'Backups shall be taken every 6 hours and restorable within 4 hours (RPO 6 h, RTO 4 h).',
];
const givens = [
  'a customer with two saved payment methods', 'an administrator on the user list', 'a locked account',
  'an expired session', 'a CRS document under review', 'a technician without network access',
];
const whens = [
  'they submit the form with a missing mandatory field', 'they request a data export',
  'the payment provider answers with a timeout', 'they enter a wrong password for the fifth time',
  'the reviewer rejects the document', 'the connection is restored',
];
const thens = [
  'the system shows which field is missing and keeps the other input',
  'a download link is emailed within 5 minutes', 'the order is saved as pending and retried',
  'the account is locked for 15 minutes and the owner is notified',
  'the author receives a notification with the reviewer\'s remarks', 'queued changes are synchronised without duplicates',
];

export function functionalRequirement(random: Random): string {
  return random.chance(0.6)
    ? `The ${random.pick(actors)} shall be able to ${random.pick(userActions)} ${random.pick(objects)}${random.pick(conditions)}.`
    : `The system shall ${random.pick(systemActions)} ${random.pick(objects)} ${random.pick(timings)}.`;
}

export function acceptanceCriterion(random: Random): string {
  return `Given ${random.pick(givens)}, when ${random.pick(whens)}, then ${random.pick(thens)}.`;
}

/** A CRS body: purpose, numbered functional and non-functional requirements, acceptance criteria. */
export function crsContent(random: Random, title: string, projectName: string): string {
  const lines = [
    '1. Purpose',
    `This document specifies "${title}" for the ${projectName}: what the system shall do, how well, and how we will know.`,
    '',
    '2. Functional requirements',
  ];
  const functional = random.between(3, 6);
  for (let n = 1; n <= functional; n++) lines.push(`FR-${n}: ${functionalRequirement(random)}`);
  lines.push('', '3. Non-functional requirements');
  const quality = random.between(1, 3);
  for (let n = 1; n <= quality; n++) lines.push(`NFR-${n}: ${random.pick(qualityRequirements)}`);
  lines.push('', '4. Acceptance criteria');
  const criteria = random.between(1, 3);
  for (let n = 1; n <= criteria; n++) lines.push(`AC-${n}: ${acceptanceCriterion(random)}`);
  return lines.join('\n');
}

const references = ['FR-1', 'FR-2', 'FR-3', 'FR-4', 'NFR-1', 'NFR-2', 'AC-1', 'AC-2', 'section 2', 'the glossary'];
const vagueWords = ['fast', 'user-friendly', 'secure', 'scalable', 'real time', 'intuitive', 'as soon as possible'];
export const edgeCases = [
  'locked account', 'expired session', 'empty result', 'duplicate submission', 'network timeout', 'partial payment',
];
const reviewerRoles = ['security', 'UX', 'QA', 'architecture', 'legal', 'product'];

/** A review remark; `mention` is the first name of a team member to address, if any. */
export function reviewComment(random: Random, mention: string | undefined): string {
  const ref = random.pick(references);
  const opening = ref.charAt(0).toUpperCase() + ref.slice(1);
  const remark = random.pick([
    `${opening} is ambiguous: what does "${random.pick(vagueWords)}" mean here? Please quantify it.`,
    `Suggest splitting ${ref} into two requirements; it mixes behaviour and a quality target.`,
    `${opening} conflicts with the data retention policy agreed with Legal.`,
    `Looks good from the ${random.pick(reviewerRoles)} side. Approving.`,
    `Can we add an acceptance criterion for the ${random.pick(edgeCases)} case?`,
    `${opening}: who owns this requirement on the customer side?`,
    `Please link ${ref} to its test case before the review meeting.`,
    `Is ${ref} still in scope for this release, or should it move to phase 2?`,
    `${opening} describes a solution, not a need. What problem does it solve for the ${random.pick(actors)}?`,
    `Typo in ${ref}, otherwise fine.`,
  ]);
  return mention === undefined ? remark : `@${mention} ${remark}`;
}
