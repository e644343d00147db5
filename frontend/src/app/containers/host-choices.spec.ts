import { hostChoices } from './host-choices';

describe('hostChoices', () => {
  it('keeps the order, and lists a host that is down as such, not to be chosen', () => {
    expect(
      hostChoices([
        { id: 'h2', name: 'local-2', status: 'up' },
        { id: 'h3', name: 'local-3', status: 'down' },
        { id: 'h4', name: 'local-4', status: 'unknown' },
      ]),
    ).toEqual([
      { id: 'h2', label: 'local-2', disabled: false },
      { id: 'h3', label: 'local-3 (down)', disabled: true },
      { id: 'h4', label: 'local-4', disabled: false },
    ]);
  });
});
