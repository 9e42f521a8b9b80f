import { GraphQLError } from 'graphql';
import { CursorCodec } from '../../schema/cursor';

const position = (n: number) => ({ time: new Date(Date.UTC(2026, 0, 1) + n * 1000), id: n });

describe('CursorCodec', () => {
  const codec = new CursorCodec('a secret of the tests');

  it('decodes what it encoded, the same cursor for the same position each time', () => {
    const cursor = codec.encode('notification', position(7));
    expect(codec.encode('notification', position(7))).toBe(cursor);
    expect(codec.decode('notification', cursor, 'after')).toEqual(position(7));
  });

  it('refuses a cursor of another list, a tampered one, and one signed with another secret', () => {
    const cursor = codec.encode('project', position(3));
    const [payload, signature] = cursor.split('.');
    const forged = `${Buffer.from('project:1767225603000:4').toString('base64url')}.${signature}`;
    for (const refused of [
      () => codec.decode('message', cursor, 'after'),
      () => codec.decode('project', forged, 'after'),
      () => codec.decode('project', `${payload}.${signature}.x`, 'after'),
      () => new CursorCodec('another secret').decode('project', cursor, 'after'),
    ]) {
      expect(refused).toThrow(GraphQLError);
      expect(refused).toThrow('after: is not a cursor this list produced');
    }
  });

  it('signs correctly past the cursors it remembers', () => {
    const cursors = Array.from({ length: 5000 }, (_, n) => codec.encode('message', position(n)));
    expect(new Set(cursors).size).toBe(5000);
    for (const n of [0, 1, 4095, 4096, 4999]) {
      expect(codec.decode('message', cursors[n], 'after')).toEqual(position(n));
      expect(codec.encode('message', position(n))).toBe(cursors[n]);
    }
  });
});
