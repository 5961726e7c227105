/*
 * An RFC 4180 CSV record reader fed line by line (so a file is read as a stream): fields
 * separated by commas, optionally quoted; a quote inside a quoted field is doubled (`""`); a
 * quoted field may span lines (the record ends on the line where its quotes close).
 */

export interface CsvRecord {
  cells: string[];
  /** 1-based line the record starts on */
  line: number;
}

export class CsvRecordReader {
  private cells: string[] = [];
  private cell = '';
  private inQuotes = false;
  /** the current cell was quoted (text after its closing quote is an error) */
  private quotedCell = false;
  private startLine = 0;

  /** Whether a quoted field is open (the next line continues the record). */
  get open(): boolean {
    return this.inQuotes;
  }

  /**
   * Reads one line (without its line break). Returns the completed record, or undefined while a
   * quoted field continues on the next line. Throws `line N: ...` on a malformed quote.
   */
  push(line: string, lineNumber: number): CsvRecord | undefined {
    if (!this.inQuotes) {
      this.startLine = lineNumber;
      this.cells = [];
      this.cell = '';
      this.quotedCell = false;
    } else {
      this.cell += '\n';
    }
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (this.inQuotes) {
        if (ch === '"') {
          if (line[i + 1] === '"') {
            this.cell += '"';
            i++;
          } else {
            this.inQuotes = false;
          }
        } else {
          this.cell += ch;
        }
      } else if (ch === ',') {
        this.cells.push(this.cell);
        this.cell = '';
        this.quotedCell = false;
      } else if (ch === '"') {
        if (this.cell.length > 0 || this.quotedCell) {
          throw new Error(
            `line ${lineNumber}: a quote inside an unquoted field (quote the whole field and double the quote: "")`,
          );
        }
        this.inQuotes = true;
        this.quotedCell = true;
      } else if (this.quotedCell) {
        throw new Error(
          `line ${lineNumber}: text after the closing quote of a field`,
        );
      } else {
        this.cell += ch;
      }
    }
    if (this.inQuotes) return undefined;
    this.cells.push(this.cell);
    return { cells: this.cells, line: this.startLine };
  }

  /** At the end of the input: throws when a quoted field was never closed. */
  end(): void {
    if (this.inQuotes) {
      throw new Error(
        `line ${this.startLine}: a quoted field is not closed before the end of the file`,
      );
    }
  }
}

/** Parses a whole CSV text (tests, small inputs). */
export function parseCsv(text: string): CsvRecord[] {
  const reader = new CsvRecordReader();
  const out: CsvRecord[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const r = reader.push(line, i + 1);
    if (r) out.push(r);
  });
  reader.end();
  return out;
}
