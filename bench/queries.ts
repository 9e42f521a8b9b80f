import type { Scale } from '../src/seed/scales';

/**
 * The operations the load scenarios send. They use only the public contract
 * (tests/contract/schema.graphql), like any client.
 */

/** How many of each level the nested query asks for (`first` of each list). */
export interface NestedShape {
  readonly teams: number;
  readonly projects: number;
  readonly crsDocuments: number;
  readonly comments: number;
}

/**
 * Big enough to return every project, CRS document and comment of the demo account's three teams:
 * the seed gives each of them the same fixed share (scale.projectsPerDemoTeam, …).
 */
export function fullNestedShape(scale: Scale): NestedShape {
  return { teams: 3, projects: scale.projectsPerDemoTeam, crsDocuments: scale.crsPerDemoProject, comments: scale.commentsPerDemoCrs };
}

/** A narrow cut of the same query, to show that the optimized statement count does not grow with breadth. */
export function narrowNestedShape(scale: Scale): NestedShape {
  const full = fullNestedShape(scale);
  return { teams: 1, projects: Math.min(2, full.projects), crsDocuments: Math.min(2, full.crsDocuments), comments: Math.min(5, full.comments) };
}

/** Comments the nested query returns for `shape` on seeded data. */
export function expectedComments(shape: NestedShape): number {
  return shape.teams * shape.projects * shape.crsDocuments * shape.comments;
}

/** teams → projects → crsDocuments → comments → author: five levels. */
export function nestedQuery(shape: NestedShape): string {
  return `query Nested {
  teams(first: ${shape.teams}) {
    id name
    projects(first: ${shape.projects}) {
      id name status
      crsDocuments(first: ${shape.crsDocuments}) {
        id title status
        comments(first: ${shape.comments}) {
          id content createdAt
          author { id fullName }
        }
      }
    }
  }
}`;
}

/** Every comment of a nested query's `data`. */
export function commentsOf(data: { teams: any[] }): unknown[] {
  return data.teams.flatMap((team) => team.projects.flatMap((project: any) => project.crsDocuments.flatMap((crs: any) => crs.comments)));
}

/** The seed's "Get Notifications" task: the newest page of the viewer's notifications, with what each is about. */
export const notificationsQuery = `query Notifications {
  notifications(first: 50) {
    unreadCount
    edges {
      node {
        id type title message isRead createdAt
        subject {
          __typename
          ... on Project { id name projectStatus: status }
          ... on Team { id name }
          ... on CrsDocument { id title crsStatus: status }
          ... on Comment { id content }
          ... on Invitation { id email invitationStatus: status }
        }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The seed's "List Projects" task: the viewer's projects, newest first. */
export const projectsQuery = `query Projects {
  projects(first: 50) {
    edges { node { id name description status createdAt updatedAt team { id name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The seed's "Get Chat Messages" task: the newest page of one chat session. */
export const chatMessagesQuery = `query ChatMessages($id: ID!) {
  chatSession(id: $id) {
    id name
    messages(first: 20) {
      edges { node { id senderType content timestamp sender { id fullName } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
