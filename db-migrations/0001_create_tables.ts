import { Kysely, sql } from 'kysely';

/**
 * The data model of DESIGN.md: every table, its primary key and its UNIQUE constraints.
 * Secondary indexes (and the foreign keys that lean on them) come in 0002, so that the only
 * indexes InnoDB holds are the ones chosen there.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`CREATE TABLE users (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      email VARCHAR(255) NOT NULL,
      full_name VARCHAR(200) NOT NULL,
      password_hash VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      CONSTRAINT uq_users_email UNIQUE (email)
    )`,
    sql`CREATE TABLE teams (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(200) NOT NULL,
      description TEXT NULL,
      created_by INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE team_members (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      team_id INT UNSIGNED NOT NULL,
      user_id INT UNSIGNED NOT NULL,
      role ENUM('OWNER','ADMIN','MEMBER','VIEWER') NOT NULL,
      is_active TINYINT(1) NOT NULL DEFAULT 1,
      joined_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      CONSTRAINT uq_team_members_team_user UNIQUE (team_id, user_id),
      CONSTRAINT fk_team_members_team FOREIGN KEY (team_id) REFERENCES teams (id) ON DELETE CASCADE
    )`,
    sql`CREATE TABLE projects (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      team_id INT UNSIGNED NOT NULL,
      created_by INT UNSIGNED NOT NULL,
      name VARCHAR(200) NOT NULL,
      description TEXT NULL,
      status ENUM('PENDING','APPROVED','REJECTED','ARCHIVED') NOT NULL DEFAULT 'PENDING',
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE crs_documents (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      project_id INT UNSIGNED NOT NULL,
      created_by INT UNSIGNED NOT NULL,
      title VARCHAR(300) NOT NULL,
      content MEDIUMTEXT NOT NULL,
      status ENUM('DRAFT','UNDER_REVIEW','APPROVED','REJECTED') NOT NULL DEFAULT 'DRAFT',
      version INT UNSIGNED NOT NULL DEFAULT 1,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE comments (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      crs_id INT UNSIGNED NOT NULL,
      author_id INT UNSIGNED NOT NULL,
      content TEXT NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE invitations (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      team_id INT UNSIGNED NOT NULL,
      email VARCHAR(255) NOT NULL,
      role ENUM('OWNER','ADMIN','MEMBER','VIEWER') NOT NULL,
      token CHAR(43) NOT NULL,
      status ENUM('PENDING','ACCEPTED','DECLINED','EXPIRED') NOT NULL DEFAULT 'PENDING',
      invited_by_user_id INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      expires_at DATETIME(3) NOT NULL,
      CONSTRAINT uq_invitations_token UNIQUE (token)
    )`,
    sql`CREATE TABLE notifications (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      user_id INT UNSIGNED NOT NULL,
      type ENUM('PROJECT_APPROVED','PROJECT_REJECTED','TEAM_INVITATION','CRS_CREATED',
                'CRS_STATUS_CHANGED','CRS_COMMENTED','MENTION','SYSTEM') NOT NULL,
      reference_id INT UNSIGNED NULL,
      title VARCHAR(300) NOT NULL,
      message TEXT NOT NULL,
      is_read TINYINT(1) NOT NULL DEFAULT 0,
      created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE chat_sessions (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      project_id INT UNSIGNED NOT NULL,
      user_id INT UNSIGNED NOT NULL,
      name VARCHAR(200) NOT NULL,
      started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE messages (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      session_id INT UNSIGNED NOT NULL,
      sender_type ENUM('USER','AI') NOT NULL,
      sender_id INT UNSIGNED NULL,
      content TEXT NOT NULL,
      timestamp DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
    )`,
    sql`CREATE TABLE ai_memory_index (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
      project_id INT UNSIGNED NOT NULL,
      source_type ENUM('CRS','COMMENT','MESSAGE') NOT NULL,
      source_id INT UNSIGNED NOT NULL,
      embedding_id VARCHAR(100) NOT NULL,
      content_hash CHAR(64) NOT NULL,
      status ENUM('pending','indexed','failed') NOT NULL DEFAULT 'pending',
      attempts INT UNSIGNED NOT NULL DEFAULT 0,
      last_error VARCHAR(1000) NULL,
      updated_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      CONSTRAINT uq_ai_memory_index_embedding_id UNIQUE (embedding_id)
    )`,
  ];
  for (const statement of statements) {
    await sql`${statement} ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'ai_memory_index',
    'messages',
    'chat_sessions',
    'notifications',
    'invitations',
    'comments',
    'crs_documents',
    'projects',
    'team_members',
    'teams',
    'users',
  ]) {
    await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  }
}
