/** A source text with its file name; nodes keep offsets into it, lines are computed on demand. */
export class Source {
  private lineStarts: number[] | undefined;

  constructor(
    readonly body: string,
    readonly name: string = '<input>',
  ) {}

  /** 1-based line and column of a character offset. */
  location(offset: number): { line: number; column: number } {
    const starts = this.starts();
    const o = Math.max(0, Math.min(offset, this.body.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line break. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line - 1] ?? this.body.length;
    const end = line < starts.length ? starts[line]! - 1 : this.body.length;
    return this.body.slice(start, end).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts().length;
  }

  private starts(): number[] {
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = 0; i < this.body.length; i++) {
        if (this.body.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
      }
    }
    return this.lineStarts;
  }
}
