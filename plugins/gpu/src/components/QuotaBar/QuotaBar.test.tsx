import { ReactElement } from 'react';
import { render, screen, within } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { flavor } from '../../__testUtils__/fixtures';
import zhHans from '../../translations/zh-Hans';
import { QuotaBar, QuotaLegend } from './QuotaBar';

const renderIn = (element: ReactElement, language = 'en') =>
  render(
    <TestApiProvider
      apis={translationTestApis(language, [zhHans, kubemateReactZhHans]) as any}
    >
      {element}
    </TestApiProvider>,
  );

describe('QuotaBar', () => {
  it('shows the borrowed share beyond nominal in its own segment, with the nominal and borrowing-limit marks', () => {
    renderIn(
      <QuotaBar
        quota={flavor({ nominal: 4, borrowingLimit: 4, used: 6, borrowed: 2 })}
      />,
    );
    const meter = screen.getByRole('meter', { name: 'GPU quota of a100-40gb' });
    expect(meter).toHaveAttribute('aria-valuenow', '6');
    expect(meter).toHaveAttribute('aria-valuemax', '8');
    expect(meter).toHaveAttribute(
      'aria-valuetext',
      '6 of 4 nominal GPUs used, 2 borrowed from the cohort, may borrow up to 4',
    );
    const used = within(meter).getByTestId('quota-used');
    const borrowed = within(meter).getByTestId('quota-borrowed');
    expect(used).toHaveStyle({ width: '50%' });
    expect(borrowed).toHaveStyle({ left: '50%', width: '25%' });
    expect(within(meter).getByTestId('quota-nominal')).toHaveAttribute(
      'data-left',
      '50',
    );
    expect(within(meter).getByTestId('quota-limit')).toHaveAttribute(
      'data-left',
      '100',
    );
    expect(
      screen.getByText(
        '6 of 4 nominal GPUs used, 2 borrowed from the cohort, may borrow up to 4',
      ),
    ).toBeInTheDocument();
  });

  it('has no borrowed segment width and no limit mark for a queue within nominal that may borrow without limit', () => {
    renderIn(
      <QuotaBar
        quota={flavor({
          nominal: 4,
          borrowingLimit: undefined,
          used: 3,
          borrowed: 0,
        })}
      />,
    );
    const meter = screen.getByRole('meter');
    expect(within(meter).getByTestId('quota-used')).toHaveStyle({
      width: '75%',
    });
    expect(within(meter).getByTestId('quota-borrowed')).toHaveStyle({
      width: '0%',
    });
    expect(within(meter).queryByTestId('quota-limit')).toBeNull();
    expect(screen.getByText(/borrowing unlimited/)).toBeInTheDocument();
  });

  it('reads its summary and legend in Simplified Chinese', () => {
    renderIn(
      <>
        <QuotaBar
          quota={flavor({
            nominal: 4,
            borrowingLimit: 4,
            used: 6,
            borrowed: 2,
          })}
        />
        <QuotaLegend />
      </>,
      'zh-Hans',
    );
    const meter = screen.getByRole('meter', { name: 'a100-40gb 的 GPU 配额' });
    expect(meter).toHaveAttribute(
      'aria-valuetext',
      '已使用 6 个 GPU（名义配额 4 个），从队列组借用 2 个，最多可借用 4 个',
    );
    expect(screen.getByText('名义配额内的使用量')).toBeInTheDocument();
    expect(screen.getByText('借用上限')).toBeInTheDocument();
    expect(screen.queryByText(/nominal GPUs used/)).toBeNull();
    expect(screen.queryByText('borrowing limit')).toBeNull();
  });
});
