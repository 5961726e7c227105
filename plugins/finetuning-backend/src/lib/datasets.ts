/*
 * Dataset validation, line by line over a stream (the upload or the object read back from
 * MinIO): JSONL (one JSON object per line, blank lines skipped) or CSV with a header row; the
 * mapped instruction/response fields must be non-empty strings in every row. The first bad line
 * is reported as `line N: <what is wrong>` (1-based).
 */
import { InputError } from '@backstage/errors';
import {
  DatasetFieldMapping,
  DatasetFormat,
} from '@kubemate/plugin-finetuning-common';
import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { CsvRecordReader } from './csv';

export interface DatasetRow {
  instruction: string;
  input?: string;
  response: string;
}

export interface DatasetSummary {
  format: DatasetFormat;
  rows: number;
  fields: string[];
  avgChars: number;
  bytes: number;
  sha256: string;
  /** the first `keepRows` rows */
  sample: DatasetRow[];
}

export interface ReadDatasetOptions {
  format: DatasetFormat;
  mapping: DatasetFieldMapping;
  maxBytes: number;
  maxRows: number;
  /** rows to keep in `sample` (default 0) */
  keepRows?: number;
  /** stop after `keepRows` rows (a preview: no counting to the end) */
  stopAfterSample?: boolean;
}

const MAX_FIELDS = 200;

/** The format from the file name's extension, else from the first non-blank byte. */
export function detectFormat(
  fileName: string,
  head: Buffer | string,
): DatasetFormat {
  const lower = fileName.toLowerCase();
  if (/\.(jsonl|ndjson|json)$/.test(lower)) return 'jsonl';
  if (/\.csv$/.test(lower)) return 'csv';
  const first = head.toString('utf8', 0, 4096).trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

const bad = (line: number, what: string) =>
  new InputError(`line ${line}: ${what}`);

function checkField(
  line: number,
  value: unknown,
  field: string,
  required: boolean,
): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw bad(line, `field "${field}" is missing`);
    return undefined;
  }
  if (typeof value !== 'string') {
    throw bad(line, `field "${field}" must be a string, not ${typeof value}`);
  }
  if (required && value.trim() === '') {
    throw bad(line, `field "${field}" is empty`);
  }
  return value;
}

/** The header's columns of the mapped fields; `line N: the header has no column "x"` otherwise. */
function headerColumns(
  header: string[],
  mapping: DatasetFieldMapping,
  line: number,
): { instruction: number; response: number; input?: number } {
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) {
      throw bad(
        line,
        `the header has no column "${name}" (columns: ${header.join(', ')})`,
      );
    }
    return i;
  };
  return {
    instruction: col(mapping.instruction),
    response: col(mapping.response),
    ...(mapping.input ? { input: col(mapping.input) } : {}),
  };
}

/**
 * Reads and validates a dataset from a stream of bytes. InputError (400) on the first bad line,
 * on an empty dataset, on more than `maxRows` rows or more than `maxBytes` bytes.
 */
export async function readDataset(
  source: Readable,
  options: ReadDatasetOptions,
): Promise<DatasetSummary> {
  const { mapping, format, maxBytes, maxRows } = options;
  const keep = options.keepRows ?? 0;
  const hash = createHash('sha256');
  let bytes = 0;
  source.on('data', (chunk: Buffer | string) => {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += b.length;
    hash.update(b);
  });
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  const fields = new Set<string>();
  const sample: DatasetRow[] = [];
  let rows = 0;
  let chars = 0;
  let lineNumber = 0;
  let header: string[] | undefined;
  let columns: { instruction: number; response: number; input?: number };
  const csv = new CsvRecordReader();

  const addRow = (row: DatasetRow) => {
    rows++;
    if (rows > maxRows) {
      throw new InputError(`the dataset has more than ${maxRows} rows`);
    }
    chars +=
      row.instruction.length + (row.input?.length ?? 0) + row.response.length;
    if (sample.length < keep) sample.push(row);
  };

  try {
    for await (const raw of lines) {
      lineNumber++;
      if (bytes > maxBytes) {
        throw new InputError(`file: larger than ${maxBytes} bytes`);
      }
      const line = lineNumber === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (format === 'jsonl') {
        if (line.trim() === '') continue;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch (e) {
          throw bad(lineNumber, `not valid JSON (${(e as Error).message})`);
        }
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          throw bad(
            lineNumber,
            `expected a JSON object, got ${
              Array.isArray(value) ? 'an array' : JSON.stringify(value)
            }`,
          );
        }
        const o = value as Record<string, unknown>;
        for (const k of Object.keys(o)) {
          if (fields.size < MAX_FIELDS) fields.add(k);
        }
        const row: DatasetRow = {
          instruction: checkField(
            lineNumber,
            o[mapping.instruction],
            mapping.instruction,
            true,
          )!,
          response: checkField(
            lineNumber,
            o[mapping.response],
            mapping.response,
            true,
          )!,
        };
        if (mapping.input) {
          const input = checkField(
            lineNumber,
            o[mapping.input],
            mapping.input,
            false,
          );
          if (input) row.input = input;
        }
        addRow(row);
      } else {
        if (!csv.open && line.trim() === '') continue;
        let record;
        try {
          record = csv.push(line, lineNumber);
        } catch (e) {
          throw new InputError((e as Error).message);
        }
        if (!record) continue;
        if (!header) {
          header = record.cells.map(c => c.trim());
          header.forEach(h => fields.add(h));
          columns = headerColumns(header, mapping, record.line);
          continue;
        }
        if (record.cells.length !== header.length) {
          throw bad(
            record.line,
            `${record.cells.length} cells, the header has ${header.length}`,
          );
        }
        const cells = record.cells;
        const required = (i: number, name: string) => {
          if (cells[i].trim() === '') {
            throw bad(record!.line, `column "${name}" is empty`);
          }
          return cells[i];
        };
        const row: DatasetRow = {
          instruction: required(columns!.instruction, mapping.instruction),
          response: required(columns!.response, mapping.response),
        };
        if (columns!.input !== undefined && cells[columns!.input]) {
          row.input = cells[columns!.input];
        }
        addRow(row);
      }
      if (options.stopAfterSample && sample.length >= keep) break;
    }
    if (!options.stopAfterSample && format === 'csv') {
      try {
        csv.end();
      } catch (e) {
        throw new InputError((e as Error).message);
      }
    }
  } finally {
    lines.close();
    if (options.stopAfterSample) source.destroy();
  }
  if (bytes > maxBytes) {
    throw new InputError(`file: larger than ${maxBytes} bytes`);
  }
  if (!options.stopAfterSample && rows === 0) {
    throw new InputError(
      format === 'csv' && !header
        ? 'the dataset is empty (a CSV needs a header row and at least one row)'
        : 'the dataset has no rows',
    );
  }
  return {
    format,
    rows,
    fields: [...fields],
    avgChars: rows ? Math.round(chars / rows) : 0,
    bytes,
    sha256: hash.digest('hex'),
    sample,
  };
}

/** Validates an upload held in memory (multer's memory storage, its size limit enforced). */
export function validateDataset(
  body: Buffer,
  options: Omit<ReadDatasetOptions, 'format'> & { fileName: string },
): Promise<DatasetSummary> {
  if (body.length === 0) {
    return Promise.reject(new InputError('file: the file is empty'));
  }
  if (body.length > options.maxBytes) {
    return Promise.reject(
      new InputError(`file: larger than ${options.maxBytes} bytes`),
    );
  }
  const format = detectFormat(options.fileName, body.subarray(0, 4096));
  // one chunk: readline splits it without another copy of the whole file
  return readDataset(Readable.from([body]), { ...options, format });
}
