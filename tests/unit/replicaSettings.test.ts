import { ConfigError, loadConfig } from '../../src/config';
import { gtidCovers, isGtidPosition, laterGtidPosition } from '../../src/db/replicas/gtidPosition';
import { WritePositions } from '../../src/db/replicas/writePositions';

describe('DATABASE_REPLICA_URL and its settings', () => {
  it('is off unless set', () => {
    expect(loadConfig({}).replicas).toBeUndefined();
  });

  it('takes a comma-separated list, with pool sizes defaulting to the primary’s', () => {
    const config = loadConfig({
      DB_POOL_SIZE: '7',
      DB_POOL_MAX_OVERFLOW: '3',
      DATABASE_REPLICA_URL: 'mysql://root@10.0.0.2:3306/bridgeai, mysql://root@10.0.0.3:3306/bridgeai',
    });
    expect(config.replicas).toEqual({
      urls: ['mysql://root@10.0.0.2:3306/bridgeai', 'mysql://root@10.0.0.3:3306/bridgeai'],
      pool: { ...config.pool, size: 7, maxOverflow: 3 },
      maxLagMs: 5000,
    });
    const sized = loadConfig({ DATABASE_REPLICA_URL: 'mysql://r@h/db', DB_REPLICA_POOL_SIZE: '4', DB_REPLICA_POOL_MAX_OVERFLOW: '0', DB_REPLICA_MAX_LAG_MS: '800' });
    expect(sized.replicas).toMatchObject({ pool: { size: 4, maxOverflow: 0 }, maxLagMs: 800 });
  });

  it.each([
    ['DATABASE_REPLICA_URL', 'mysql://r@h/db,http://h/db', 'DATABASE_REPLICA_URL: must start with mysql://'],
    ['DATABASE_REPLICA_URL', 'mysql://r@h', 'DATABASE_REPLICA_URL: must name a database'],
    ['DB_REPLICA_POOL_SIZE', '0', 'DB_REPLICA_POOL_SIZE: must be a whole number of at least 1'],
    ['DB_REPLICA_MAX_LAG_MS', 'soon', 'DB_REPLICA_MAX_LAG_MS: must be a whole number of at least 1'],
  ])('%s=%s fails start-up naming the variable', (name, value, message) => {
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'mysql://r@h/db', [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'mysql://r@h/db', [name]: value })).toThrow(message);
  });
});

describe('GTID positions', () => {
  it('covers a position when every domain of it is reached', () => {
    expect(gtidCovers('0-1-42', '0-1-41')).toBe(true);
    expect(gtidCovers('0-1-42', '0-1-42')).toBe(true);
    expect(gtidCovers('0-1-42', '0-1-43')).toBe(false);
    expect(gtidCovers('0-1-42', '0-1-42,1-2-1')).toBe(false);
    expect(gtidCovers('0-1-42,1-2-5', '1-2-5')).toBe(true);
    expect(gtidCovers('', '')).toBe(true);
    expect(gtidCovers('', '0-1-1')).toBe(false);
    expect(gtidCovers('0-1-18446744073709551615', '0-1-18446744073709551614')).toBe(true);
  });

  it('takes the later of two positions domain by domain', () => {
    expect(laterGtidPosition(undefined, '0-1-4')).toBe('0-1-4');
    expect(laterGtidPosition('0-1-9', '0-1-4')).toBe('0-1-9');
    expect(laterGtidPosition('0-1-9,1-2-1', '1-2-3')).toBe('0-1-9,1-2-3');
  });

  it('accepts only positions as X-Read-After', () => {
    expect(isGtidPosition('0-1-42,1-2-7')).toBe(true);
    expect(isGtidPosition('0-1-42;DROP')).toBe(false);
    expect(isGtidPosition('42')).toBe(false);
  });
});

describe('WritePositions', () => {
  it('keeps a writer’s latest position until the lag bound and two checks have passed', () => {
    jest.useFakeTimers({ now: 0 });
    try {
      const positions = new WritePositions(1000);
      positions.remember(1, '0-1-5');
      positions.remember(1, '0-1-4');
      expect(positions.positionOf(1)).toBe('0-1-5');
      expect(positions.positionOf(2)).toBeUndefined();
      jest.setSystemTime(2999);
      expect(positions.positionOf(1)).toBe('0-1-5');
      jest.setSystemTime(3000);
      expect(positions.positionOf(1)).toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
