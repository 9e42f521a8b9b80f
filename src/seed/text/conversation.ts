import type { Random } from '../prng';
import { acceptanceCriterion, edgeCases, functionalRequirement, qualityRequirements } from './requirements';

/** Chat with the AI assistant: session names, the user's questions and the assistant's answers. */

export function sessionName(random: Random, topic: string): string {
  return random.pick([
    `${topic}: acceptance criteria`,
    `Clarifying: ${topic}`,
    `Review prep: ${topic}`,
    `NFR brainstorm for ${topic}`,
    `${topic} — open questions`,
  ]);
}

/** A question of the user's; the `opening` one of a session names its topic. */
export function userMessage(random: Random, topic: string, opening: boolean): string {
  const openers = [
    `Can you draft acceptance criteria for ${topic}?`,
    `What non-functional requirements are we missing for ${topic}?`,
    `Which requirements in ${topic} conflict with each other?`,
    `Summarise the open review comments on ${topic}.`,
  ];
  return opening ? random.pick(openers) : random.pick([
    ...openers,
    `Rewrite FR-${random.between(1, 6)} so that it is testable.`,
    `How should we handle the ${random.pick(edgeCases)} case?`,
    'The customer says this is too vague. Can you make it measurable?',
    'Thanks. Can you turn that into a requirement in our usual format?',
  ]);
}

export function assistantMessage(random: Random, topic: string): string {
  return random.pick([
    `A testable version: "${functionalRequirement(random)}" It names the actor, the trigger and a measurable outcome.`,
    `For ${topic} I would add a performance target, audit logging and a retention rule. For example: ${random.pick(qualityRequirements)}`,
    `${acceptanceCriterion(random)} I would add a second criterion for the ${random.pick(edgeCases)} case.`,
    `FR-${random.between(1, 3)} and FR-${random.between(4, 6)} overlap. Merge them, or state which one takes precedence.`,
    'The open comments ask to quantify vague terms, to add criteria for error cases and to confirm the scope with the customer.',
    `Suggested wording: "${functionalRequirement(random)}" Shall I add it to the draft?`,
  ]);
}
