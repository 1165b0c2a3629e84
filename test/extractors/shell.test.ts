import { describe, expect, it } from 'vitest';
import { extractShellCommands, shellScript } from '../../src/extractors/shell/index.js';
import { extractFixture, refSummary } from '../helpers.js';

const NPM_CASES: [string, string[]][] = [
  ['npm install express', ['npm:express installed']],
  ['npm i express@4.17.1', ['npm:express@4.17.1 installed']],
  ['npm isntall lodash@^4', ['npm:lodash ^4 installed']],
  ['npm add left-pad@latest', ['npm:left-pad latest installed']],
  ['npm i @types/node@20.1.0 @scope/x', ['npm:@types/node@20.1.0 installed', 'npm:@scope/x installed']],
  ['npm i my-alias@npm:left-pad@1.3.0', ['npm:left-pad@1.3.0 installed as my-alias']],
  ['npm i -D vitest', ['npm:vitest installed [dev]']],
  ['npm install --save-dev --save-exact typescript', ['npm:typescript installed [dev]']],
  ['npm install -O fsevents', ['npm:fsevents installed [optional]']],
  ['npm install --save-optional fsevents', ['npm:fsevents installed [optional]']],
  ['npm i --save-peer react', ['npm:react installed [peer]']],
  ['npm i -P react', ['npm:react installed']],
  ['npm i -E react@18.2.0', ['npm:react@18.2.0 installed']],
  ['npm i -g npm-check-updates', ['npm:npm-check-updates installed [global]']],
  ['npm --global install pm2', ['npm:pm2 installed [global]']],
  ['npm i --location=global pm2', ['npm:pm2 installed [global]']],
  [
    'npm i --registry https://registry.example.org/ express --prefix ./app --workspace web -w api lodash',
    ['npm:express installed', 'npm:lodash installed'],
  ],
  ['npm i --tag beta --before 2020-01-01 express', ['npm:express installed']],
  ['npm install', []],
  ['npm ci', []],
  ['npm run build', []],
  ['npm update express', []],
  ['npm install git+https://git.example.org/acme/widget.git#v1.0.0', ['npm:widget installed (git)']],
  ['npm i github:acme/widget', ['npm:widget installed (git)']],
  ['npm i acme/widget#main', ['npm:widget installed (git)']],
  ['npm i ./packages/local-lib', ['npm:local-lib installed (path)']],
  ['npm i ../vendor/left-pad-1.3.0.tgz', ['npm:left-pad installed (path)']],
  ['npm i https://files.example.org/pkg/tarball-1.0.0.tgz', ['npm:tarball installed (url)']],
  ['npm i .', []],
  ['npm i "$PKG" express@$VERSION @types/{node,react}', ['npm:express installed']],
  ['npm install .hidden _under UPPER!', []],
  ['npx cowsay@1.5.0 hello', ['npm:cowsay@1.5.0 executed']],
  ['npx -y create-react-app my-app', ['npm:create-react-app executed']],
  ['npx eslint --fix src', ['npm:eslint executed']],
  ['npx -p typescript@5 tsc --init', ['npm:typescript 5 executed']],
  ['npx --package=@angular/cli ng new app', ['npm:@angular/cli executed']],
  ['npm exec -- eslint@8 --fix .', ['npm:eslint 8 executed']],
  ['npm x prettier --write .', ['npm:prettier executed']],
  ['npm create vite@latest my-app -- --template react', ['npm:create-vite latest executed']],
  ['npm init react-app my-app', ['npm:create-react-app executed']],
  ['npm init @vitejs/app', ['npm:@vitejs/create-app executed']],
  ['npm init @usr@2.0.0', ['npm:@usr/create@2.0.0 executed']],
  ['npm init -y', []],
  ['yarn add react react-dom@18.2.0', ['npm:react installed', 'npm:react-dom@18.2.0 installed']],
  ['yarn add -D jest', ['npm:jest installed [dev]']],
  ['yarn add --peer react', ['npm:react installed [peer]']],
  ['yarn add --cwd packages/web axios', ['npm:axios installed']],
  ['yarn global add serve', ['npm:serve installed [global]']],
  ['yarn workspace web add axios', ['npm:axios installed']],
  ['yarn dlx create-next-app', ['npm:create-next-app executed']],
  ['yarn create next-app my-app', ['npm:create-next-app executed']],
  ['yarn install express', []],
  ['yarn', []],
  ['pnpm add -D typescript', ['npm:typescript installed [dev]']],
  ['pnpm i zod', ['npm:zod installed']],
  ['pnpm --filter web add dayjs', ['npm:dayjs installed']],
  ['pnpm add -w lodash', ['npm:lodash installed']],
  ['pnpm add -g pnpm', ['npm:pnpm installed [global]']],
  ['pnpm dlx degit user/repo my-app', ['npm:degit executed']],
  ['pnpm exec vitest', []],
  ['pnpm create astro@latest', ['npm:create-astro latest executed']],
  ['pnpx cowsay hi', ['npm:cowsay executed']],
  ['bun add elysia', ['npm:elysia installed']],
  ['bun add -d @types/bun', ['npm:@types/bun installed [dev]']],
  ['bun install hono@4.0.0', ['npm:hono@4.0.0 installed']],
  ['bun install', []],
  ['bunx cowsay hi', ['npm:cowsay executed']],
  ['bun x prettier', ['npm:prettier executed']],
  ['bun create vite my-app', ['npm:create-vite executed']],
];

const PYTHON_CASES: [string, string[]][] = [
  ['pip install requests', ['PyPI:requests installed']],
  ['pip3 install requests==2.19.0', ['PyPI:requests@2.19.0 installed']],
  ['pip3.11 install "requests>=2,<3"', ['PyPI:requests >=2,<3 installed']],
  ['/usr/bin/pip install flask', ['PyPI:flask installed']],
  ['python -m pip install flask', ['PyPI:flask installed']],
  ['python3 -m pip install -U pip', ['PyPI:pip installed']],
  ['py -3.11 -m pip install numpy', ['PyPI:numpy installed']],
  ['python3.12 -m pip install --user pandas', ['PyPI:pandas installed']],
  ['python script.py install requests', []],
  ['python -c "import pip" -m pip install x', []],
  ["pip install 'requests[security]>=2.8.1'", ['PyPI:requests >=2.8.1 installed']],
  [`pip install "foo; python_version<'3.8'"`, ['PyPI:foo installed']],
  [
    'pip install x~=1.4 y!=2 z===1.0a w==1.*',
    ['PyPI:x ~=1.4 installed', 'PyPI:y !=2 installed', 'PyPI:z@1.0a installed', 'PyPI:w ==1.* installed'],
  ],
  ['pip install -r requirements.txt -c constraints.txt', []],
  ['pip install --requirement=requirements/dev.txt', []],
  ['pip install -rrequirements.txt', []],
  ['pip install -e .', []],
  [
    'pip install -e git+https://git.example.org/acme/tool.git#egg=acme-tool',
    ['PyPI:acme-tool installed (git)'],
  ],
  [
    'pip install -i https://pypi.example.org/simple --extra-index-url https://x.example.org requests ' +
      '-f https://y.example.org --trusted-host h.example.org -t ./vendor --no-deps --pre flask',
    ['PyPI:requests installed', 'PyPI:flask installed'],
  ],
  [
    'pip install --index-url=https://pypi.example.org/simple --target=lib requests',
    ['PyPI:requests installed'],
  ],
  ['pip install ./dist/my_pkg-1.0.0-py3-none-any.whl', ['PyPI:my_pkg@1.0.0 installed (path)']],
  [
    'pip install https://files.example.org/packages/requests-2.19.0.tar.gz',
    ['PyPI:requests@2.19.0 installed (url)'],
  ],
  ['pip install "pkg @ git+https://git.example.org/acme/pkg.git"', ['PyPI:pkg installed (git)']],
  ['pip install git+https://git.example.org/acme/widget.git@v1.0', ['PyPI:widget installed (git)']],
  ['pip install ./libs/shared', ['PyPI:shared installed (path)']],
  ['pip install requests=2.0 requests@1.0 $EXTRA', []],
  ['pip download requests', []],
  ['pip uninstall -y requests', []],
  ['pip install', []],
  ['uv pip install requests==2.31.0', ['PyPI:requests@2.31.0 installed']],
  ['uv pip install --system -p 3.12 httpx', ['PyPI:httpx installed']],
  ['uv add httpx', ['PyPI:httpx installed']],
  ['uv add --dev pytest', ['PyPI:pytest installed [dev]']],
  ['uv add --group lint ruff', ['PyPI:ruff installed [lint]']],
  ['uv add --optional socks pysocks', ['PyPI:pysocks installed [socks]']],
  ['uv tool install ruff', ['PyPI:ruff installed [global]']],
  ['uv tool install httpie --with rich', ['PyPI:httpie installed [global]', 'PyPI:rich installed [global]']],
  ['uv tool run black .', ['PyPI:black executed']],
  ['uv run --with rich script.py', ['PyPI:rich executed']],
  ['uvx ruff@0.3.0 check .', ['PyPI:ruff@0.3.0 executed']],
  ['uvx pycowsay@latest hi', ['PyPI:pycowsay latest executed']],
  ['uvx --from httpie http GET example.org', ['PyPI:httpie executed']],
  ['pipx install black', ['PyPI:black installed [global]']],
  ['pipx install --python python3.11 poetry==1.8.2', ['PyPI:poetry@1.8.2 installed [global]']],
  ['pipx inject poetry poetry-plugin-export', ['PyPI:poetry-plugin-export installed [global]']],
  ['pipx run cowsay hi', ['PyPI:cowsay executed']],
  ['pipx run --spec httpie http GET', ['PyPI:httpie executed']],
  ['poetry add pendulum@^2.0.5', ['PyPI:pendulum ^2.0.5 installed']],
  ['poetry add requests@2.31.0', ['PyPI:requests@2.31.0 installed']],
  ['poetry add httpx@latest', ['PyPI:httpx latest installed']],
  ['poetry add "django>=4" --group dev', ['PyPI:django >=4 installed [dev]']],
  ['poetry add -G docs mkdocs', ['PyPI:mkdocs installed [docs]']],
  ['poetry add --dev pytest', ['PyPI:pytest installed [dev]']],
  ['poetry add -D black==24.1.0', ['PyPI:black@24.1.0 installed [dev]']],
  ['poetry add git+https://git.example.org/acme/lib.git', ['PyPI:lib installed (git)']],
  ['poetry add --source internal acme-tools', ['PyPI:acme-tools installed']],
  ['poetry self add poetry-plugin-up', ['PyPI:poetry-plugin-up installed [global]']],
  ['poetry run pip install tqdm', ['PyPI:tqdm installed']],
  ['poetry install', []],
  ['pipenv install requests==2.19.0', ['PyPI:requests@2.19.0 installed']],
  ['pipenv install --dev pytest', ['PyPI:pytest installed [dev]']],
  ['pipenv install -d "black>=24"', ['PyPI:black >=24 installed [dev]']],
  ['pipenv install --categories "docs" sphinx', ['PyPI:sphinx installed [docs]']],
  ['pipenv install -r requirements.txt', []],
  ['pipenv install', []],
  ['pipenv run pip install rich', ['PyPI:rich installed']],
];

const SHELL_SYNTAX_CASES: [string, string[]][] = [
  ['sudo npm install -g yarn', ['npm:yarn installed [global]']],
  ['sudo -u deploy -E -H npm i pm2', ['npm:pm2 installed']],
  ['sudo --user=deploy pip install flask', ['PyPI:flask installed']],
  ['env NODE_ENV=production npm i express', ['npm:express installed']],
  ['env -i -u HOME npm i express', ['npm:express installed']],
  ['NODE_ENV=production CI=1 npm i express', ['npm:express installed']],
  ['time nohup npm i express', ['npm:express installed']],
  ['command npm i express; exec pip install flask', ['npm:express installed', 'PyPI:flask installed']],
  ['command -v npm', []],
  ['nice -n 10 pip install numpy', ['PyPI:numpy installed']],
  [
    'cd app && npm i express || echo failed; pip install flask',
    ['npm:express installed', 'PyPI:flask installed'],
  ],
  ['echo y | npm i express | tee log.txt', ['npm:express installed']],
  ['(cd web && npm i react)', ['npm:react installed']],
  ['{ npm i react; }', ['npm:react installed']],
  ['echo "$(npm i -g pnpm)" `pip install tqdm`', ['npm:pnpm installed [global]', 'PyPI:tqdm installed']],
  [
    'if [ -f package.json ]; then npm i lodash; else yarn add lodash; fi',
    ['npm:lodash installed', 'npm:lodash installed'],
  ],
  ['for p in a b; do pip install flask; done', ['PyPI:flask installed']],
  ['npm i express \\\n  cors', ['npm:express installed', 'npm:cors installed']],
  ['# npm i commented\nnpm i real # npm i trailing', ['npm:real installed']],
  ['npm i express > /dev/null 2>&1', ['npm:express installed']],
  [`bash -c "npm i inner && pip install 'req>=1'"`, ['npm:inner installed', 'PyPI:req >=1 installed']],
  ["sudo sh -c 'pip install x==1'", ['PyPI:x@1 installed']],
  ['echo `echo \\`npm i nested\\``', ['npm:nested installed']],
  ['$PM install express', []],
  ['npm', []],
];

describe('shell', () => {
  describe.each([
    ['npm, yarn, pnpm, bun', NPM_CASES],
    ['pip, uv, pipx, poetry, pipenv', PYTHON_CASES],
    ['shell syntax', SHELL_SYNTAX_CASES],
  ])('%s', (_, cases) => {
    it.each(cases)('%s', (script, expected) => {
      const out = extractShellCommands(script, 'script.sh');
      expect(out.refs.map(refSummary)).toEqual(expected);
      expect(out.errors).toEqual([]);
    });
  });

  it('marks names derived from URLs and paths as inferred, and keeps the URL', () => {
    const [ref] = extractShellCommands(
      'npm i git+https://git.example.org/acme/widget.git#v1.0.0',
      'script.sh',
    ).refs;
    expect(ref).toMatchObject({
      name: 'widget',
      inferred: true,
      url: 'git+https://git.example.org/acme/widget.git#v1.0.0',
    });
    const [wheel] = extractShellCommands('pip install ./dist/my_pkg-1.0.0-py3-none-any.whl', 's.sh').refs;
    expect(wheel?.inferred).toBeUndefined();
    expect(wheel?.url).toBe('./dist/my_pkg-1.0.0-py3-none-any.whl');
  });

  it('points every ref at the line and column of its argument', () => {
    const out = extractFixture(shellScript, 'extractors/shell/basic/setup.sh');
    expect(out.errors).toEqual([]);
    expect(out.refs.map((r) => [refSummary(r), r.location.line, r.location.column])).toEqual([
      ['npm:pnpm@8.15.0 installed [global]', 6, 24],
      ['npm:typescript@5.4.2 installed [dev]', 9, 3],
      ['npm:@types/node installed [dev]', 10, 3],
      ['PyPI:requests >=2.8.1 installed', 12, 54],
      ['PyPI:flask@2.0.1 installed', 13, 48],
      ['npm:cowsay@1.5.0 executed', 16, 13],
    ]);
    expect(out.refs[0]).toMatchObject({
      extractor: 'shell',
      location: { file: 'extractors/shell/basic/setup.sh' },
    });
    expect(out.refs.every((r) => r.scope === undefined)).toBe(true);
  });

  it('gives positions inside `sh -c` strings, and the enclosing word inside escaped backticks', () => {
    const inner = extractShellCommands('x\nbash -c "npm i inner"', 's.sh').refs[0];
    expect(inner?.location).toMatchObject({ line: 2, column: 16 });
    const nested = extractShellCommands('echo `echo \\`npm i nested\\``', 's.sh').refs[0];
    expect(nested?.location).toMatchObject({ line: 1, column: 6 });
  });

  it('reports an empty script as nothing at all', () => {
    const out = extractFixture(shellScript, 'extractors/shell/empty/empty.sh');
    expect(out).toEqual({ refs: [], errors: [], facts: [] });
    expect(extractShellCommands('\n  # only a comment\n', 's.sh')).toEqual({
      refs: [],
      errors: [],
      facts: [],
    });
  });

  it('reports syntax errors with their lines and keeps the commands around them', () => {
    const out = extractFixture(shellScript, 'extractors/shell/broken/broken.sh');
    expect(out.refs.map((r) => [r.name, r.location.line])).toEqual([
      ['express', 1],
      ['cors', 2],
      ['lodash', 4],
    ]);
    expect(out.errors).toEqual([
      { line: 2, column: 22, message: "shell syntax error: unexpected token 'stray-word'" },
      { line: 3, column: 13, message: 'shell syntax error: unterminated double quote' },
    ]);
  });

  it('reads .sh and .bash files only', () => {
    expect(shellScript.matches('scripts/setup.sh')).toBe(true);
    expect(shellScript.matches('ci/install.bash')).toBe(true);
    expect(shellScript.matches('setup.zsh')).toBe(false);
    expect(shellScript.matches('Dockerfile')).toBe(false);
    expect(shellScript.matches('docs/sh')).toBe(false);
  });
});
