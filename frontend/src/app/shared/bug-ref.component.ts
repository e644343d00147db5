import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';

/**
 * A bug reference as a link: a URL opens the tracker; a key (BUG-4711) opens the catalog
 * filtered on that key, i.e. every bookmark filed for the same bug.
 */
@Component({
  selector: 'bp-bug-ref',
  imports: [RouterLink],
  template: `
    @if (url(); as href) {
      <a [href]="href" target="_blank" rel="noopener noreferrer">{{ label() }}</a>
    } @else {
      <a routerLink="/bookmarks" [queryParams]="{ q: value() }">{{ value() }}</a>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BugRefComponent {
  readonly value = input.required<string>();
  protected readonly url = computed(() =>
    /^https?:\/\//i.test(this.value()) ? this.value() : null,
  );
  protected readonly label = computed(() => {
    const url = this.url();
    if (!url) return this.value();
    const tail = url.replace(/\/+$/, '').split('/').pop();
    return tail && tail.length <= 40 ? tail : url;
  });
}
