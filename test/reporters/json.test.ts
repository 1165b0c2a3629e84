import { describe, expect, it } from 'vitest';
import { scan } from '../../src/pipeline/scan.js';
import { jsonReporter } from '../../src/reporters/json.js';
import { fixturePath } from '../helpers.js';

describe('json reporter', () => {
  it('writes the whole result as indented JSON, one document ending in a newline', async () => {
    const result = await scan(['.'], { cwd: fixturePath('scan/phantom-npm') });
    const text = jsonReporter(result, { color: false });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(result)));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": 1,');
  });
});
