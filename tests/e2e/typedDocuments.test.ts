import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const e2eDir = __dirname;

/**
 * ts-jest runs with isolatedModules: it strips types without checking them. The clients'
 * guarantee (an operation that no longer matches the schema fails to compile) needs a real
 * type check of the code that uses the generated documents, so this runs the compiler over
 * tests/e2e with the project's tsconfig, reporting only errors in those files.
 */
function typeErrors(files: string[], extraSources: Record<string, string> = {}): string[] {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const host = ts.createCompilerHost({ ...options, noEmit: true });
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.readFile = (name) => extraSources[name] ?? readFile(name);
  host.fileExists = (name) => name in extraSources || fileExists(name);
  const program = ts.createProgram([...files, ...Object.keys(extraSources)], { ...options, noEmit: true }, host);
  return [...files, ...Object.keys(extraSources)].flatMap((file) => {
    const source = program.getSourceFile(file);
    if (!source) return [`${file}: not found`];
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map(
      (diagnostic) => `${file}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
    );
  });
}

describe('the clients type-check against the generated documents', () => {
  it('compiles every file of tests/e2e without errors', () => {
    const files = readdirSync(e2eDir)
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(e2eDir, name));
    expect(typeErrors(files)).toEqual([]);
  });

  it('would catch a client reading a field its operation does not select', () => {
    const probe = join(e2eDir, '__probe__.ts');
    const errors = typeErrors([], {
      [probe]: `import type { ViewerQuery } from '../../schema/generated/graphql';
export const email = (data: ViewerQuery) => data.viewer.teams[0].createdAt;`,
    });
    expect(errors).toEqual([expect.stringMatching(/Property 'createdAt' does not exist/)]);
  });
});
