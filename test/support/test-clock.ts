/** A clock the test sets and advances by hand (adapters and fakes read `now()`). */
export class TestClock {
  constructor(private at: Date) {}
  now = () => new Date(this.at);
  set(at: string) {
    this.at = new Date(at);
  }
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}
