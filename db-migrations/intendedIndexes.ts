/**
 * The index decision (DESIGN.md "Data model"): every secondary index the migrations create, per
 * table, by name, with its columns in index order (comma-separated, as
 * information_schema.STATISTICS lists them). PRIMARY keys are not listed.
 *
 * The migrations and this map must agree: tests/integration/indexes.test.ts migrates a database
 * and compares its indexes with this map, so a migration that adds or drops an index without
 * updating it fails, and so does an index InnoDB made for a foreign key by itself.
 * `npm run db:report` compares a live database with it too.
 */
export const intendedIndexes: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  users: { uq_users_email: 'email' },
  teams: {},
  team_members: { uq_team_members_team_user: 'team_id,user_id', ix_team_members_user_id: 'user_id' },
  projects: { ix_projects_team_id: 'team_id' },
  crs_documents: { ix_crs_documents_project_id: 'project_id', ix_crs_documents_status: 'status' },
  comments: { ix_comments_crs_id: 'crs_id' },
  invitations: {
    uq_invitations_token: 'token',
    ix_invitations_team_id: 'team_id',
    ix_invitations_status: 'status',
    ix_invitations_email: 'email',
  },
  notifications: { ix_notifications_user_unread: 'user_id,is_read,created_at' },
  chat_sessions: { ix_chat_sessions_project_id: 'project_id' },
  messages: { ix_messages_session_id: 'session_id' },
  ai_memory_index: {
    uq_ai_memory_index_embedding_id: 'embedding_id',
    ix_ai_memory_index_project_id: 'project_id',
    ix_ai_memory_index_status_lane_updated_at: 'status,lane,updated_at',
  },
};
