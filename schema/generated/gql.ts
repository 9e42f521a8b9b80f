/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddComment($crsId: ID!, $content: String!) {\n  addComment(crsId: $crsId, content: $content) {\n    id\n    content\n    createdAt\n    author {\n      id\n      fullName\n    }\n  }\n}": typeof types.AddCommentDocument,
    "query ChatSessionMessages($id: ID!, $first: Int, $before: String) {\n  chatSession(id: $id) {\n    id\n    name\n    startedAt\n    project {\n      id\n      name\n    }\n    messages(first: $first, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          senderType\n          content\n          timestamp\n          sender {\n            id\n            fullName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": typeof types.ChatSessionMessagesDocument,
    "mutation CreateCrsDocument($input: CreateCrsInput!) {\n  createCrsDocument(input: $input) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n  }\n}": typeof types.CreateCrsDocumentDocument,
    "mutation CreateProject($input: CreateProjectInput!) {\n  createProject(input: $input) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n  }\n}": typeof types.CreateProjectDocument,
    "mutation CreateTeam($name: String!, $description: String) {\n  createTeam(name: $name, description: $description) {\n    id\n    name\n    description\n    createdAt\n  }\n}": typeof types.CreateTeamDocument,
    "query CrsDocument($id: ID!, $commentsFirst: Int) {\n  crsDocument(id: $id) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n    project {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    comments(first: $commentsFirst) {\n      id\n      content\n      createdAt\n      author {\n        id\n        fullName\n      }\n    }\n  }\n}": typeof types.CrsDocumentDocument,
    "mutation InviteMember($teamId: ID!, $email: String!, $role: TeamRole) {\n  inviteMember(teamId: $teamId, email: $email, role: $role) {\n    id\n    email\n    role\n    status\n    expiresAt\n    token\n  }\n}": typeof types.InviteMemberDocument,
    "mutation LeaveTeam($teamId: ID!) {\n  leaveTeam(teamId: $teamId)\n}": typeof types.LeaveTeamDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}": typeof types.LoginDocument,
    "mutation MarkNotificationsRead($ids: [ID!]) {\n  markNotificationsRead(ids: $ids)\n}": typeof types.MarkNotificationsReadDocument,
    "subscription MessageAdded($sessionId: ID!, $after: String) {\n  messageAdded(sessionId: $sessionId, after: $after) {\n    cursor\n    node {\n      id\n      content\n      senderType\n      timestamp\n      sender {\n        id\n        fullName\n      }\n    }\n  }\n}": typeof types.MessageAddedDocument,
    "query MyInvitations($status: InvitationStatus, $first: Int) {\n  invitations(status: $status, first: $first) {\n    id\n    email\n    role\n    status\n    createdAt\n    expiresAt\n    token\n    team {\n      id\n      name\n      description\n    }\n    invitedBy {\n      id\n      fullName\n    }\n  }\n}": typeof types.MyInvitationsDocument,
    "subscription NotificationAdded($after: String) {\n  notificationAdded(after: $after) {\n    cursor\n    node {\n      id\n      type\n      title\n      message\n      isRead\n      createdAt\n    }\n  }\n}": typeof types.NotificationAddedDocument,
    "query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {\n  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {\n    unreadCount\n    edges {\n      cursor\n      node {\n        id\n        type\n        title\n        message\n        isRead\n        createdAt\n        subject {\n          ... on Project {\n            id\n            name\n            projectStatus: status\n          }\n          ... on Team {\n            id\n            name\n          }\n          ... on CrsDocument {\n            id\n            title\n            crsStatus: status\n            project {\n              id\n            }\n          }\n          ... on Comment {\n            id\n            content\n            crs {\n              id\n              title\n            }\n          }\n          ... on Invitation {\n            id\n            role\n            invitationStatus: status\n            team {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.NotificationsDocument,
    "mutation PostMessage($sessionId: ID!, $content: String!) {\n  postMessage(sessionId: $sessionId, content: $content) {\n    id\n    senderType\n    content\n    timestamp\n    sender {\n      id\n      fullName\n    }\n  }\n}": typeof types.PostMessageDocument,
    "query Project($id: ID!, $crsStatus: [CrsStatus!], $crsFirst: Int, $commentsFirst: Int) {\n  project(id: $id) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    crsDocuments(status: $crsStatus, first: $crsFirst) {\n      id\n      title\n      content\n      status\n      version\n      createdAt\n      updatedAt\n      creator {\n        id\n        fullName\n      }\n      comments(first: $commentsFirst) {\n        id\n        content\n        createdAt\n        author {\n          id\n          fullName\n        }\n      }\n    }\n    chatSessions {\n      id\n      name\n      startedAt\n      user {\n        id\n        fullName\n      }\n    }\n  }\n}": typeof types.ProjectDocument,
    "query Projects($teamIds: [ID!], $status: ProjectStatus, $first: Int, $after: String) {\n  projects(teamIds: $teamIds, status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        description\n        status\n        createdAt\n        updatedAt\n        team {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.ProjectsDocument,
    "mutation ReindexProjectMemory($projectId: ID!) {\n  reindexProjectMemory(projectId: $projectId)\n}": typeof types.ReindexProjectMemoryDocument,
    "mutation RemoveMember($teamId: ID!, $userId: ID!) {\n  removeMember(teamId: $teamId, userId: $userId)\n}": typeof types.RemoveMemberDocument,
    "mutation RespondToInvitation($token: String!, $accept: Boolean!) {\n  respondToInvitation(token: $token, accept: $accept) {\n    id\n    status\n    team {\n      id\n      name\n    }\n  }\n}": typeof types.RespondToInvitationDocument,
    "mutation ReviewProject($id: ID!, $approve: Boolean!) {\n  reviewProject(id: $id, approve: $approve) {\n    id\n    status\n    updatedAt\n  }\n}": typeof types.ReviewProjectDocument,
    "query SearchMemory($projectId: ID!, $query: String!, $sourceType: MemorySourceType, $limit: Int, $maxDistance: Float) {\n  searchMemory(\n    projectId: $projectId\n    query: $query\n    sourceType: $sourceType\n    limit: $limit\n    maxDistance: $maxDistance\n  ) {\n    id\n    sourceType\n    text\n    distance\n    source {\n      ... on CrsDocument {\n        id\n        title\n      }\n      ... on Comment {\n        id\n        crs {\n          id\n        }\n      }\n      ... on Message {\n        id\n        session {\n          id\n        }\n      }\n    }\n  }\n}": typeof types.SearchMemoryDocument,
    "mutation SetCrsStatus($id: ID!, $status: CrsStatus!) {\n  setCrsStatus(id: $id, status: $status) {\n    id\n    status\n    updatedAt\n  }\n}": typeof types.SetCrsStatusDocument,
    "mutation SetMemberRole($teamId: ID!, $userId: ID!, $role: TeamRole!) {\n  setMemberRole(teamId: $teamId, userId: $userId, role: $role) {\n    role\n    joinedAt\n    user {\n      id\n      fullName\n    }\n  }\n}": typeof types.SetMemberRoleDocument,
    "mutation SignUp($email: String!, $password: String!, $fullName: String!) {\n  signUp(email: $email, password: $password, fullName: $fullName) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}": typeof types.SignUpDocument,
    "mutation StartChatSession($projectId: ID!, $name: String!) {\n  startChatSession(projectId: $projectId, name: $name) {\n    id\n    name\n    startedAt\n  }\n}": typeof types.StartChatSessionDocument,
    "query Team($id: ID!, $projectStatus: ProjectStatus) {\n  team(id: $id) {\n    id\n    name\n    description\n    createdAt\n    projects(status: $projectStatus) {\n      id\n      name\n      status\n      updatedAt\n    }\n    invitations(status: PENDING) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n}": typeof types.TeamDocument,
    "query Teams($first: Int) {\n  teams(first: $first) {\n    id\n    name\n    description\n    createdAt\n    members {\n      role\n      joinedAt\n      user {\n        id\n        fullName\n        email\n      }\n    }\n  }\n}": typeof types.TeamsDocument,
    "mutation UpdateCrsDocument($input: UpdateCrsInput!) {\n  updateCrsDocument(input: $input) {\n    id\n    content\n    version\n    updatedAt\n  }\n}": typeof types.UpdateCrsDocumentDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    fullName\n    teams {\n      id\n      name\n      description\n    }\n  }\n}": typeof types.ViewerDocument,
};
const documents: Documents = {
    "mutation AddComment($crsId: ID!, $content: String!) {\n  addComment(crsId: $crsId, content: $content) {\n    id\n    content\n    createdAt\n    author {\n      id\n      fullName\n    }\n  }\n}": types.AddCommentDocument,
    "query ChatSessionMessages($id: ID!, $first: Int, $before: String) {\n  chatSession(id: $id) {\n    id\n    name\n    startedAt\n    project {\n      id\n      name\n    }\n    messages(first: $first, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          senderType\n          content\n          timestamp\n          sender {\n            id\n            fullName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}": types.ChatSessionMessagesDocument,
    "mutation CreateCrsDocument($input: CreateCrsInput!) {\n  createCrsDocument(input: $input) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n  }\n}": types.CreateCrsDocumentDocument,
    "mutation CreateProject($input: CreateProjectInput!) {\n  createProject(input: $input) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n  }\n}": types.CreateProjectDocument,
    "mutation CreateTeam($name: String!, $description: String) {\n  createTeam(name: $name, description: $description) {\n    id\n    name\n    description\n    createdAt\n  }\n}": types.CreateTeamDocument,
    "query CrsDocument($id: ID!, $commentsFirst: Int) {\n  crsDocument(id: $id) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n    project {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    comments(first: $commentsFirst) {\n      id\n      content\n      createdAt\n      author {\n        id\n        fullName\n      }\n    }\n  }\n}": types.CrsDocumentDocument,
    "mutation InviteMember($teamId: ID!, $email: String!, $role: TeamRole) {\n  inviteMember(teamId: $teamId, email: $email, role: $role) {\n    id\n    email\n    role\n    status\n    expiresAt\n    token\n  }\n}": types.InviteMemberDocument,
    "mutation LeaveTeam($teamId: ID!) {\n  leaveTeam(teamId: $teamId)\n}": types.LeaveTeamDocument,
    "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}": types.LoginDocument,
    "mutation MarkNotificationsRead($ids: [ID!]) {\n  markNotificationsRead(ids: $ids)\n}": types.MarkNotificationsReadDocument,
    "subscription MessageAdded($sessionId: ID!, $after: String) {\n  messageAdded(sessionId: $sessionId, after: $after) {\n    cursor\n    node {\n      id\n      content\n      senderType\n      timestamp\n      sender {\n        id\n        fullName\n      }\n    }\n  }\n}": types.MessageAddedDocument,
    "query MyInvitations($status: InvitationStatus, $first: Int) {\n  invitations(status: $status, first: $first) {\n    id\n    email\n    role\n    status\n    createdAt\n    expiresAt\n    token\n    team {\n      id\n      name\n      description\n    }\n    invitedBy {\n      id\n      fullName\n    }\n  }\n}": types.MyInvitationsDocument,
    "subscription NotificationAdded($after: String) {\n  notificationAdded(after: $after) {\n    cursor\n    node {\n      id\n      type\n      title\n      message\n      isRead\n      createdAt\n    }\n  }\n}": types.NotificationAddedDocument,
    "query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {\n  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {\n    unreadCount\n    edges {\n      cursor\n      node {\n        id\n        type\n        title\n        message\n        isRead\n        createdAt\n        subject {\n          ... on Project {\n            id\n            name\n            projectStatus: status\n          }\n          ... on Team {\n            id\n            name\n          }\n          ... on CrsDocument {\n            id\n            title\n            crsStatus: status\n            project {\n              id\n            }\n          }\n          ... on Comment {\n            id\n            content\n            crs {\n              id\n              title\n            }\n          }\n          ... on Invitation {\n            id\n            role\n            invitationStatus: status\n            team {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.NotificationsDocument,
    "mutation PostMessage($sessionId: ID!, $content: String!) {\n  postMessage(sessionId: $sessionId, content: $content) {\n    id\n    senderType\n    content\n    timestamp\n    sender {\n      id\n      fullName\n    }\n  }\n}": types.PostMessageDocument,
    "query Project($id: ID!, $crsStatus: [CrsStatus!], $crsFirst: Int, $commentsFirst: Int) {\n  project(id: $id) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    crsDocuments(status: $crsStatus, first: $crsFirst) {\n      id\n      title\n      content\n      status\n      version\n      createdAt\n      updatedAt\n      creator {\n        id\n        fullName\n      }\n      comments(first: $commentsFirst) {\n        id\n        content\n        createdAt\n        author {\n          id\n          fullName\n        }\n      }\n    }\n    chatSessions {\n      id\n      name\n      startedAt\n      user {\n        id\n        fullName\n      }\n    }\n  }\n}": types.ProjectDocument,
    "query Projects($teamIds: [ID!], $status: ProjectStatus, $first: Int, $after: String) {\n  projects(teamIds: $teamIds, status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        description\n        status\n        createdAt\n        updatedAt\n        team {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.ProjectsDocument,
    "mutation ReindexProjectMemory($projectId: ID!) {\n  reindexProjectMemory(projectId: $projectId)\n}": types.ReindexProjectMemoryDocument,
    "mutation RemoveMember($teamId: ID!, $userId: ID!) {\n  removeMember(teamId: $teamId, userId: $userId)\n}": types.RemoveMemberDocument,
    "mutation RespondToInvitation($token: String!, $accept: Boolean!) {\n  respondToInvitation(token: $token, accept: $accept) {\n    id\n    status\n    team {\n      id\n      name\n    }\n  }\n}": types.RespondToInvitationDocument,
    "mutation ReviewProject($id: ID!, $approve: Boolean!) {\n  reviewProject(id: $id, approve: $approve) {\n    id\n    status\n    updatedAt\n  }\n}": types.ReviewProjectDocument,
    "query SearchMemory($projectId: ID!, $query: String!, $sourceType: MemorySourceType, $limit: Int, $maxDistance: Float) {\n  searchMemory(\n    projectId: $projectId\n    query: $query\n    sourceType: $sourceType\n    limit: $limit\n    maxDistance: $maxDistance\n  ) {\n    id\n    sourceType\n    text\n    distance\n    source {\n      ... on CrsDocument {\n        id\n        title\n      }\n      ... on Comment {\n        id\n        crs {\n          id\n        }\n      }\n      ... on Message {\n        id\n        session {\n          id\n        }\n      }\n    }\n  }\n}": types.SearchMemoryDocument,
    "mutation SetCrsStatus($id: ID!, $status: CrsStatus!) {\n  setCrsStatus(id: $id, status: $status) {\n    id\n    status\n    updatedAt\n  }\n}": types.SetCrsStatusDocument,
    "mutation SetMemberRole($teamId: ID!, $userId: ID!, $role: TeamRole!) {\n  setMemberRole(teamId: $teamId, userId: $userId, role: $role) {\n    role\n    joinedAt\n    user {\n      id\n      fullName\n    }\n  }\n}": types.SetMemberRoleDocument,
    "mutation SignUp($email: String!, $password: String!, $fullName: String!) {\n  signUp(email: $email, password: $password, fullName: $fullName) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}": types.SignUpDocument,
    "mutation StartChatSession($projectId: ID!, $name: String!) {\n  startChatSession(projectId: $projectId, name: $name) {\n    id\n    name\n    startedAt\n  }\n}": types.StartChatSessionDocument,
    "query Team($id: ID!, $projectStatus: ProjectStatus) {\n  team(id: $id) {\n    id\n    name\n    description\n    createdAt\n    projects(status: $projectStatus) {\n      id\n      name\n      status\n      updatedAt\n    }\n    invitations(status: PENDING) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n}": types.TeamDocument,
    "query Teams($first: Int) {\n  teams(first: $first) {\n    id\n    name\n    description\n    createdAt\n    members {\n      role\n      joinedAt\n      user {\n        id\n        fullName\n        email\n      }\n    }\n  }\n}": types.TeamsDocument,
    "mutation UpdateCrsDocument($input: UpdateCrsInput!) {\n  updateCrsDocument(input: $input) {\n    id\n    content\n    version\n    updatedAt\n  }\n}": types.UpdateCrsDocumentDocument,
    "query Viewer {\n  viewer {\n    id\n    email\n    fullName\n    teams {\n      id\n      name\n      description\n    }\n  }\n}": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddComment($crsId: ID!, $content: String!) {\n  addComment(crsId: $crsId, content: $content) {\n    id\n    content\n    createdAt\n    author {\n      id\n      fullName\n    }\n  }\n}"): (typeof documents)["mutation AddComment($crsId: ID!, $content: String!) {\n  addComment(crsId: $crsId, content: $content) {\n    id\n    content\n    createdAt\n    author {\n      id\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ChatSessionMessages($id: ID!, $first: Int, $before: String) {\n  chatSession(id: $id) {\n    id\n    name\n    startedAt\n    project {\n      id\n      name\n    }\n    messages(first: $first, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          senderType\n          content\n          timestamp\n          sender {\n            id\n            fullName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"): (typeof documents)["query ChatSessionMessages($id: ID!, $first: Int, $before: String) {\n  chatSession(id: $id) {\n    id\n    name\n    startedAt\n    project {\n      id\n      name\n    }\n    messages(first: $first, before: $before) {\n      edges {\n        cursor\n        node {\n          id\n          senderType\n          content\n          timestamp\n          sender {\n            id\n            fullName\n          }\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateCrsDocument($input: CreateCrsInput!) {\n  createCrsDocument(input: $input) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n  }\n}"): (typeof documents)["mutation CreateCrsDocument($input: CreateCrsInput!) {\n  createCrsDocument(input: $input) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateProject($input: CreateProjectInput!) {\n  createProject(input: $input) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation CreateProject($input: CreateProjectInput!) {\n  createProject(input: $input) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation CreateTeam($name: String!, $description: String) {\n  createTeam(name: $name, description: $description) {\n    id\n    name\n    description\n    createdAt\n  }\n}"): (typeof documents)["mutation CreateTeam($name: String!, $description: String) {\n  createTeam(name: $name, description: $description) {\n    id\n    name\n    description\n    createdAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CrsDocument($id: ID!, $commentsFirst: Int) {\n  crsDocument(id: $id) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n    project {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    comments(first: $commentsFirst) {\n      id\n      content\n      createdAt\n      author {\n        id\n        fullName\n      }\n    }\n  }\n}"): (typeof documents)["query CrsDocument($id: ID!, $commentsFirst: Int) {\n  crsDocument(id: $id) {\n    id\n    title\n    content\n    status\n    version\n    createdAt\n    updatedAt\n    project {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    comments(first: $commentsFirst) {\n      id\n      content\n      createdAt\n      author {\n        id\n        fullName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation InviteMember($teamId: ID!, $email: String!, $role: TeamRole) {\n  inviteMember(teamId: $teamId, email: $email, role: $role) {\n    id\n    email\n    role\n    status\n    expiresAt\n    token\n  }\n}"): (typeof documents)["mutation InviteMember($teamId: ID!, $email: String!, $role: TeamRole) {\n  inviteMember(teamId: $teamId, email: $email, role: $role) {\n    id\n    email\n    role\n    status\n    expiresAt\n    token\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation LeaveTeam($teamId: ID!) {\n  leaveTeam(teamId: $teamId)\n}"): (typeof documents)["mutation LeaveTeam($teamId: ID!) {\n  leaveTeam(teamId: $teamId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}"): (typeof documents)["mutation Login($email: String!, $password: String!) {\n  login(email: $email, password: $password) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation MarkNotificationsRead($ids: [ID!]) {\n  markNotificationsRead(ids: $ids)\n}"): (typeof documents)["mutation MarkNotificationsRead($ids: [ID!]) {\n  markNotificationsRead(ids: $ids)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription MessageAdded($sessionId: ID!, $after: String) {\n  messageAdded(sessionId: $sessionId, after: $after) {\n    cursor\n    node {\n      id\n      content\n      senderType\n      timestamp\n      sender {\n        id\n        fullName\n      }\n    }\n  }\n}"): (typeof documents)["subscription MessageAdded($sessionId: ID!, $after: String) {\n  messageAdded(sessionId: $sessionId, after: $after) {\n    cursor\n    node {\n      id\n      content\n      senderType\n      timestamp\n      sender {\n        id\n        fullName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyInvitations($status: InvitationStatus, $first: Int) {\n  invitations(status: $status, first: $first) {\n    id\n    email\n    role\n    status\n    createdAt\n    expiresAt\n    token\n    team {\n      id\n      name\n      description\n    }\n    invitedBy {\n      id\n      fullName\n    }\n  }\n}"): (typeof documents)["query MyInvitations($status: InvitationStatus, $first: Int) {\n  invitations(status: $status, first: $first) {\n    id\n    email\n    role\n    status\n    createdAt\n    expiresAt\n    token\n    team {\n      id\n      name\n      description\n    }\n    invitedBy {\n      id\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription NotificationAdded($after: String) {\n  notificationAdded(after: $after) {\n    cursor\n    node {\n      id\n      type\n      title\n      message\n      isRead\n      createdAt\n    }\n  }\n}"): (typeof documents)["subscription NotificationAdded($after: String) {\n  notificationAdded(after: $after) {\n    cursor\n    node {\n      id\n      type\n      title\n      message\n      isRead\n      createdAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {\n  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {\n    unreadCount\n    edges {\n      cursor\n      node {\n        id\n        type\n        title\n        message\n        isRead\n        createdAt\n        subject {\n          ... on Project {\n            id\n            name\n            projectStatus: status\n          }\n          ... on Team {\n            id\n            name\n          }\n          ... on CrsDocument {\n            id\n            title\n            crsStatus: status\n            project {\n              id\n            }\n          }\n          ... on Comment {\n            id\n            content\n            crs {\n              id\n              title\n            }\n          }\n          ... on Invitation {\n            id\n            role\n            invitationStatus: status\n            team {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {\n  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {\n    unreadCount\n    edges {\n      cursor\n      node {\n        id\n        type\n        title\n        message\n        isRead\n        createdAt\n        subject {\n          ... on Project {\n            id\n            name\n            projectStatus: status\n          }\n          ... on Team {\n            id\n            name\n          }\n          ... on CrsDocument {\n            id\n            title\n            crsStatus: status\n            project {\n              id\n            }\n          }\n          ... on Comment {\n            id\n            content\n            crs {\n              id\n              title\n            }\n          }\n          ... on Invitation {\n            id\n            role\n            invitationStatus: status\n            team {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation PostMessage($sessionId: ID!, $content: String!) {\n  postMessage(sessionId: $sessionId, content: $content) {\n    id\n    senderType\n    content\n    timestamp\n    sender {\n      id\n      fullName\n    }\n  }\n}"): (typeof documents)["mutation PostMessage($sessionId: ID!, $content: String!) {\n  postMessage(sessionId: $sessionId, content: $content) {\n    id\n    senderType\n    content\n    timestamp\n    sender {\n      id\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Project($id: ID!, $crsStatus: [CrsStatus!], $crsFirst: Int, $commentsFirst: Int) {\n  project(id: $id) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    crsDocuments(status: $crsStatus, first: $crsFirst) {\n      id\n      title\n      content\n      status\n      version\n      createdAt\n      updatedAt\n      creator {\n        id\n        fullName\n      }\n      comments(first: $commentsFirst) {\n        id\n        content\n        createdAt\n        author {\n          id\n          fullName\n        }\n      }\n    }\n    chatSessions {\n      id\n      name\n      startedAt\n      user {\n        id\n        fullName\n      }\n    }\n  }\n}"): (typeof documents)["query Project($id: ID!, $crsStatus: [CrsStatus!], $crsFirst: Int, $commentsFirst: Int) {\n  project(id: $id) {\n    id\n    name\n    description\n    status\n    createdAt\n    updatedAt\n    team {\n      id\n      name\n    }\n    creator {\n      id\n      fullName\n    }\n    crsDocuments(status: $crsStatus, first: $crsFirst) {\n      id\n      title\n      content\n      status\n      version\n      createdAt\n      updatedAt\n      creator {\n        id\n        fullName\n      }\n      comments(first: $commentsFirst) {\n        id\n        content\n        createdAt\n        author {\n          id\n          fullName\n        }\n      }\n    }\n    chatSessions {\n      id\n      name\n      startedAt\n      user {\n        id\n        fullName\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Projects($teamIds: [ID!], $status: ProjectStatus, $first: Int, $after: String) {\n  projects(teamIds: $teamIds, status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        description\n        status\n        createdAt\n        updatedAt\n        team {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query Projects($teamIds: [ID!], $status: ProjectStatus, $first: Int, $after: String) {\n  projects(teamIds: $teamIds, status: $status, first: $first, after: $after) {\n    edges {\n      cursor\n      node {\n        id\n        name\n        description\n        status\n        createdAt\n        updatedAt\n        team {\n          id\n          name\n        }\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReindexProjectMemory($projectId: ID!) {\n  reindexProjectMemory(projectId: $projectId)\n}"): (typeof documents)["mutation ReindexProjectMemory($projectId: ID!) {\n  reindexProjectMemory(projectId: $projectId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveMember($teamId: ID!, $userId: ID!) {\n  removeMember(teamId: $teamId, userId: $userId)\n}"): (typeof documents)["mutation RemoveMember($teamId: ID!, $userId: ID!) {\n  removeMember(teamId: $teamId, userId: $userId)\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RespondToInvitation($token: String!, $accept: Boolean!) {\n  respondToInvitation(token: $token, accept: $accept) {\n    id\n    status\n    team {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation RespondToInvitation($token: String!, $accept: Boolean!) {\n  respondToInvitation(token: $token, accept: $accept) {\n    id\n    status\n    team {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ReviewProject($id: ID!, $approve: Boolean!) {\n  reviewProject(id: $id, approve: $approve) {\n    id\n    status\n    updatedAt\n  }\n}"): (typeof documents)["mutation ReviewProject($id: ID!, $approve: Boolean!) {\n  reviewProject(id: $id, approve: $approve) {\n    id\n    status\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query SearchMemory($projectId: ID!, $query: String!, $sourceType: MemorySourceType, $limit: Int, $maxDistance: Float) {\n  searchMemory(\n    projectId: $projectId\n    query: $query\n    sourceType: $sourceType\n    limit: $limit\n    maxDistance: $maxDistance\n  ) {\n    id\n    sourceType\n    text\n    distance\n    source {\n      ... on CrsDocument {\n        id\n        title\n      }\n      ... on Comment {\n        id\n        crs {\n          id\n        }\n      }\n      ... on Message {\n        id\n        session {\n          id\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query SearchMemory($projectId: ID!, $query: String!, $sourceType: MemorySourceType, $limit: Int, $maxDistance: Float) {\n  searchMemory(\n    projectId: $projectId\n    query: $query\n    sourceType: $sourceType\n    limit: $limit\n    maxDistance: $maxDistance\n  ) {\n    id\n    sourceType\n    text\n    distance\n    source {\n      ... on CrsDocument {\n        id\n        title\n      }\n      ... on Comment {\n        id\n        crs {\n          id\n        }\n      }\n      ... on Message {\n        id\n        session {\n          id\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetCrsStatus($id: ID!, $status: CrsStatus!) {\n  setCrsStatus(id: $id, status: $status) {\n    id\n    status\n    updatedAt\n  }\n}"): (typeof documents)["mutation SetCrsStatus($id: ID!, $status: CrsStatus!) {\n  setCrsStatus(id: $id, status: $status) {\n    id\n    status\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SetMemberRole($teamId: ID!, $userId: ID!, $role: TeamRole!) {\n  setMemberRole(teamId: $teamId, userId: $userId, role: $role) {\n    role\n    joinedAt\n    user {\n      id\n      fullName\n    }\n  }\n}"): (typeof documents)["mutation SetMemberRole($teamId: ID!, $userId: ID!, $role: TeamRole!) {\n  setMemberRole(teamId: $teamId, userId: $userId, role: $role) {\n    role\n    joinedAt\n    user {\n      id\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($email: String!, $password: String!, $fullName: String!) {\n  signUp(email: $email, password: $password, fullName: $fullName) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}"): (typeof documents)["mutation SignUp($email: String!, $password: String!, $fullName: String!) {\n  signUp(email: $email, password: $password, fullName: $fullName) {\n    token\n    expiresAt\n    user {\n      id\n      email\n      fullName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation StartChatSession($projectId: ID!, $name: String!) {\n  startChatSession(projectId: $projectId, name: $name) {\n    id\n    name\n    startedAt\n  }\n}"): (typeof documents)["mutation StartChatSession($projectId: ID!, $name: String!) {\n  startChatSession(projectId: $projectId, name: $name) {\n    id\n    name\n    startedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Team($id: ID!, $projectStatus: ProjectStatus) {\n  team(id: $id) {\n    id\n    name\n    description\n    createdAt\n    projects(status: $projectStatus) {\n      id\n      name\n      status\n      updatedAt\n    }\n    invitations(status: PENDING) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n}"): (typeof documents)["query Team($id: ID!, $projectStatus: ProjectStatus) {\n  team(id: $id) {\n    id\n    name\n    description\n    createdAt\n    projects(status: $projectStatus) {\n      id\n      name\n      status\n      updatedAt\n    }\n    invitations(status: PENDING) {\n      id\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Teams($first: Int) {\n  teams(first: $first) {\n    id\n    name\n    description\n    createdAt\n    members {\n      role\n      joinedAt\n      user {\n        id\n        fullName\n        email\n      }\n    }\n  }\n}"): (typeof documents)["query Teams($first: Int) {\n  teams(first: $first) {\n    id\n    name\n    description\n    createdAt\n    members {\n      role\n      joinedAt\n      user {\n        id\n        fullName\n        email\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateCrsDocument($input: UpdateCrsInput!) {\n  updateCrsDocument(input: $input) {\n    id\n    content\n    version\n    updatedAt\n  }\n}"): (typeof documents)["mutation UpdateCrsDocument($input: UpdateCrsInput!) {\n  updateCrsDocument(input: $input) {\n    id\n    content\n    version\n    updatedAt\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Viewer {\n  viewer {\n    id\n    email\n    fullName\n    teams {\n      id\n      name\n      description\n    }\n  }\n}"): (typeof documents)["query Viewer {\n  viewer {\n    id\n    email\n    fullName\n    teams {\n      id\n      name\n      description\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;