import type { Random } from '../prng';

/** Names of people, teams and projects. */

const firstNames = [
  'Amara', 'Ben', 'Chloe', 'Dmitri', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas',
  'Keisha', 'Liam', 'Maya', 'Nikolai', 'Olivia', 'Pedro', 'Quinn', 'Rosa', 'Samir', 'Tara',
  'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Arjun', 'Brigitte', 'Carlos', 'Dana',
  'Emeka', 'Freya', 'Gustavo', 'Hana', 'Ivan', 'Jade', 'Kofi', 'Lena', 'Mateo', 'Nadia',
];

const lastNames = [
  'Abbott', 'Bianchi', 'Castillo', 'Dubois', 'Eriksen', 'Fischer', 'Gallagher', 'Haddad',
  'Ibrahim', 'Jansen', 'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov',
  'Quintero', 'Rahman', 'Schneider', 'Tanaka', 'Ueda', 'Valdez', 'Whitfield', 'Xu', 'Yamamoto',
  'Zimmermann', 'Andersen', 'Bose', 'Chen', 'Delgado', 'Evans', 'Fernandes', 'Gupta', 'Horvat',
];

export interface PersonName {
  readonly first: string;
  readonly last: string;
}

export function personName(random: Random): PersonName {
  return { first: random.pick(firstNames), last: random.pick(lastNames) };
}

/** A unique address: the user id keeps two people of the same name apart. */
export function emailFor(name: PersonName, userId: number): string {
  return `${name.first}.${name.last}.${userId}@example.com`.toLowerCase();
}

/** Addresses of people who have no account yet (invitees). */
export function outsiderEmail(random: Random, invitationId: number): string {
  const domain = random.pick(['example.org', 'example.net', 'partner.example']);
  return `${random.pick(firstNames)}.${random.pick(lastNames)}.inv${invitationId}@${domain}`.toLowerCase();
}

const teamAreas = [
  'Payments', 'Identity', 'Checkout', 'Onboarding', 'Mobile', 'Platform', 'Data', 'Reporting',
  'Compliance', 'Logistics', 'Billing', 'Search', 'Integrations', 'Customer Portal',
  'Field Service', 'Analytics', 'Security', 'Growth', 'Catalog', 'Scheduling',
];
const teamUnits = ['Squad', 'Team', 'Guild', 'Crew', 'Studio', 'Cell'];

/** Names follow the id, so teams 1–3 are named the same at every scale. */
export function teamName(teamId: number): string {
  const combinations = teamAreas.length * teamUnits.length;
  const index = (teamId - 1) % combinations;
  const base = `${teamAreas[index % teamAreas.length]} ${teamUnits[Math.floor(index / teamAreas.length)]}`;
  const round = Math.floor((teamId - 1) / combinations);
  return round === 0 ? base : `${base} ${round + 1}`;
}

export function teamDescription(random: Random, name: string): string {
  const area = name.split(' ')[0]!.toLowerCase();
  return random.pick([
    `Owns the ${area} requirements from discovery to sign-off.`,
    `Product, engineering and QA people who specify and review ${area} features.`,
    `Cross-functional team for ${area}: writes CRS documents and reviews them with the customer.`,
    `Keeps the ${area} backlog, its acceptance criteria and the traceability matrix up to date.`,
  ]);
}

const projectSubjects = [
  'Checkout', 'Loyalty programme', 'Clinic booking portal', 'Warehouse scanner app',
  'Customer self-service portal', 'Fleet telematics dashboard', 'Invoice automation',
  'Partner API', 'Mobile banking app', 'Field service app', 'Tenant management system',
  'Learning platform', 'Claims processing', 'Event ticketing', 'Supplier onboarding',
  'HR leave planner', 'Energy usage dashboard', 'Library lending system', 'Food delivery tracker',
  'Insurance quote engine', 'Patient records viewer', 'Subscription billing',
];
const projectKinds = ['redesign', 'v2', 'MVP', 'migration', 'rollout', 'phase 2', 'pilot', 'replatforming'];

export function projectName(random: Random): string {
  return `${random.pick(projectSubjects)} ${random.pick(projectKinds)}`;
}

export function projectDescription(random: Random, name: string): string {
  return random.pick([
    `Requirements for the ${name}: scope, functional and non-functional requirements, acceptance criteria.`,
    `The ${name} replaces a spreadsheet-driven process; this project collects the customer's requirements.`,
    `Specification work for the ${name}, agreed with the customer's product owner.`,
    `${name}: requirements gathered in workshops with operations, support and finance.`,
  ]);
}
