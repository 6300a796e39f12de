import { describe, expect, it } from 'vitest';
import {
  type BaseRunConfig,
  type Change,
  commitChanges,
  dockerQuote,
  parseChange,
} from '../src/changes.js';

describe('parseChange', () => {
  it.each<[string, Change]>([
    ['CMD ["bash"]', { instruction: 'CMD', value: '["bash"]' }],
    ['cmd echo hi', { instruction: 'CMD', value: 'echo hi' }],
    ['Entrypoint ["/init", "--"]', { instruction: 'ENTRYPOINT', value: '["/init", "--"]' }],
    ['ENTRYPOINT [""]', { instruction: 'ENTRYPOINT', value: '[""]' }],
    ['  env   A=b c=d  ', { instruction: 'ENV', value: 'A=b c=d' }],
    ['EXPOSE 80/tcp 443', { instruction: 'EXPOSE', value: '80/tcp 443' }],
    ['label a="x y"', { instruction: 'LABEL', value: 'a="x y"' }],
    ['ONBUILD RUN make', { instruction: 'ONBUILD', value: 'RUN make' }],
    ['user 1000:1000', { instruction: 'USER', value: '1000:1000' }],
    ['VOLUME ["/data", "/logs"]', { instruction: 'VOLUME', value: '["/data", "/logs"]' }],
    ['volume /data', { instruction: 'VOLUME', value: '/data' }],
    ['WORKDIR /srv/app\r', { instruction: 'WORKDIR', value: '/srv/app' }],
    // Only the exec-form instructions (CMD, ENTRYPOINT, VOLUME) read a JSON array.
    ['ENV [not json', { instruction: 'ENV', value: '[not json' }],
    ['CMD echo [x', { instruction: 'CMD', value: 'echo [x' }],
  ])('parses %j', (line, change) => {
    expect(parseChange(line)).toEqual(change);
  });

  it.each<[string, string, RegExp]>([
    ['empty line', '', /^must not be empty$/],
    ['blank line', '   \t', /^must not be empty$/],
    [
      'FROM',
      'FROM debian',
      /"FROM" is not an instruction that docker commit accepts \(CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, ONBUILD, USER, VOLUME, WORKDIR\)/,
    ],
    ['RUN, lower case', 'run apt-get update', /"run" is not an instruction that docker commit/],
    ['ADD', 'ADD . /app', /"ADD" is not an instruction/],
    ['no value', 'CMD', /^CMD needs a value$/],
    ['only white space after', 'workdir   ', /^WORKDIR needs a value$/],
    ['continuation', 'ENV A=b \\', /^ENV: line continuations are not supported/],
    ['continuation, lower case', 'cmd echo \\', /^CMD: line continuations are not supported/],
    ['unclosed array', 'CMD ["bash"', /^CMD: the JSON array form does not parse$/],
    ['unquoted array', 'ENTRYPOINT [bash]', /^ENTRYPOINT: the JSON array form does not parse$/],
    ['single quotes', "VOLUME ['/data']", /^VOLUME: the JSON array form does not parse$/],
    ['number in array', 'CMD ["sleep", 1]', /^CMD: the JSON array form must hold only strings$/],
    ['null in array', 'ENTRYPOINT [null]', /^ENTRYPOINT: the JSON array form must hold only/],
    ['object in array', 'VOLUME [{"a": "b"}]', /^VOLUME: the JSON array form must hold only/],
    ['nested array', 'CMD [["a"]]', /^CMD: the JSON array form must hold only strings$/],
  ])('rejects %s (%j)', (_case, line, rule) => {
    expect(() => parseChange(line)).toThrow(rule);
  });

  it('keeps the JSON error as the cause', () => {
    let thrown: unknown;
    try {
      parseChange('CMD ["a",]');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('dockerQuote', () => {
  it.each([
    ['plain', '"plain"'],
    ['', '""'],
    ['a b', '"a b"'],
    ["it's", `"it's"`],
    ['say "hi"', '"say \\"hi\\""'],
    ['$HOME ${x}', '"\\$HOME \\${x}"'],
    ['back\\slash', '"back\\\\slash"'],
    ['\\"$', '"\\\\\\"\\$"'],
    ['grüße 🚀', '"grüße 🚀"'],
  ])('quotes %j as %s', (value, quoted) => {
    expect(dockerQuote(value)).toBe(quoted);
  });

  it.each(['a "b" \\c $d ${e}', '\\\\$$""', 'x'])(
    'escapes every \\, " and $ so that only the quotes are bare: %j',
    (value) => {
      const inner = dockerQuote(value).slice(1, -1);
      // Undo Docker's double-quote escaping: \X means X.
      expect(inner.replace(/\\(.)/g, '$1')).toBe(value);
      expect(inner.replace(/\\./g, '')).not.toMatch(/["\\$]/);
    },
  );
});

describe('commitChanges', () => {
  const noEntrypoint: BaseRunConfig = { entrypoint: null, cmd: ['bash'] };
  const redis: BaseRunConfig = { entrypoint: ['docker-entrypoint.sh'], cmd: ['redis-server'] };
  const change = (line: string) => parseChange(line);

  it.each<[string, BaseRunConfig, string[], Array<[string, string]>, string[]]>([
    ['no entrypoint, CMD bash', noEntrypoint, [], [], ['ENTRYPOINT [""]', 'CMD ["bash"]']],
    [
      'empty entrypoint and no CMD',
      { entrypoint: [], cmd: null },
      [],
      [],
      ['ENTRYPOINT [""]', 'CMD []'],
    ],
    ['empty CMD stays empty', { entrypoint: null, cmd: [] }, [], [], ['ENTRYPOINT [""]', 'CMD []']],
    [
      'entrypoint and CMD',
      redis,
      [],
      [],
      ['ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["redis-server"]'],
    ],
    [
      'user sets CMD: entrypoint restored, CMD not',
      redis,
      ['CMD ["redis-server", "--appendonly", "yes"]'],
      [],
      ['ENTRYPOINT ["docker-entrypoint.sh"]', 'CMD ["redis-server", "--appendonly", "yes"]'],
    ],
    [
      'user sets ENTRYPOINT: the inherited CMD is cleared, in words',
      redis,
      ['ENTRYPOINT ["/init"]'],
      [],
      ['CMD []', 'ENTRYPOINT ["/init"]'],
    ],
    [
      'user sets both, lower case',
      noEntrypoint,
      ['entrypoint ["/init"]', 'cmd ["serve"]'],
      [],
      ['ENTRYPOINT ["/init"]', 'CMD ["serve"]'],
    ],
    [
      'labels after restorations, before user changes',
      redis,
      ['ENV A=b', 'USER app'],
      [
        ['org.opencontainers.image.title', 'app'],
        ['k', 'say "hi" \\ $HOME'],
      ],
      [
        'ENTRYPOINT ["docker-entrypoint.sh"]',
        'CMD ["redis-server"]',
        'LABEL "org.opencontainers.image.title"="app"',
        'LABEL "k"="say \\"hi\\" \\\\ \\$HOME"',
        'ENV A=b',
        'USER app',
      ],
    ],
    [
      'labels with user ENTRYPOINT',
      noEntrypoint,
      ['ENTRYPOINT ["/init"]'],
      [['$k', ' v=w ']],
      ['CMD []', 'LABEL "\\$k"=" v=w "', 'ENTRYPOINT ["/init"]'],
    ],
  ])('%s', (_case, base, lines, labels, expected) => {
    expect(commitChanges(base, lines.map(change), labels)).toEqual(expected);
  });

  it('restores arguments with quotes as valid JSON arrays', () => {
    const base: BaseRunConfig = { entrypoint: ['/bin/sh', '-c'], cmd: ['echo "a b" \\ $x'] };
    const [entrypoint, cmd] = commitChanges(base, [], []);
    expect(JSON.parse(entrypoint.replace(/^ENTRYPOINT /, ''))).toEqual(base.entrypoint);
    expect(JSON.parse(cmd.replace(/^CMD /, ''))).toEqual(base.cmd);
  });
});
