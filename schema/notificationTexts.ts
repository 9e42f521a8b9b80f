import type { CrsStatus, TeamRole } from '../src/db/schema';
import type { NotificationText } from '../loaders/notify';

/**
 * The words of every notification the write path sends, in one place. Titles fit
 * notifications.title (VARCHAR(300)) whatever the names they quote: long names are shortened
 * with an ellipsis.
 */

/** notifications.title is VARCHAR(300). */
const MAX_TITLE_CHARACTERS = 300;
/** Longest name quoted in a title or message, so a 300-character CRS title cannot crowd out the rest. */
const MAX_QUOTED_CHARACTERS = 120;
/** How much of a comment a CRS_COMMENTED message repeats. */
const MAX_EXCERPT_CHARACTERS = 200;

export function projectReviewed(reviewer: string, project: string, approved: boolean): NotificationText {
  const verb = approved ? 'approved' : 'rejected';
  return {
    title: title(`Project ${quote(project)} was ${verb}`),
    message: `${shorten(reviewer)} ${verb} your project ${quote(project)}.`,
  };
}

export function teamInvitation(inviter: string, team: string, role: TeamRole, expiresAt: Date): NotificationText {
  return {
    title: title(`${shorten(inviter)} invited you to join ${quote(team)}`),
    message: `You are invited to join ${quote(team)} as ${role}. The invitation expires at ${expiresAt.toISOString()}.`,
  };
}

export function crsCreated(author: string, crsTitle: string, project: string): NotificationText {
  return {
    title: title(`${shorten(author)} created ${quote(crsTitle)}`),
    message: `${shorten(author)} created the CRS document ${quote(crsTitle)} in project ${quote(project)}.`,
  };
}

export function crsStatusChanged(actor: string, crsTitle: string, status: CrsStatus): NotificationText {
  return {
    title: title(`${quote(crsTitle)} is now ${status}`),
    message: `${shorten(actor)} set the status of your CRS document ${quote(crsTitle)} to ${status}.`,
  };
}

export function crsCommented(author: string, crsTitle: string, comment: string): NotificationText {
  return {
    title: title(`${shorten(author)} commented on ${quote(crsTitle)}`),
    message: `${shorten(author)}: ${shorten(comment.trim(), MAX_EXCERPT_CHARACTERS)}`,
  };
}

function quote(name: string): string {
  return `"${shorten(name)}"`;
}

function title(text: string): string {
  return shorten(text, MAX_TITLE_CHARACTERS);
}

/** Cuts `text` to at most `max` characters (code points), ending in an ellipsis when cut. */
function shorten(text: string, max = MAX_QUOTED_CHARACTERS): string {
  const characters = [...text];
  return characters.length <= max ? text : `${characters.slice(0, max - 1).join('')}…`;
}
