import { screen } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderWith } from '../../__testUtils__/render';
import { EntityFinetuningContent } from './EntityFinetuningContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-model', namespace: 'default' },
  spec: { type: 'ml-model', owner: 'team-payments' },
};

describe('EntityFinetuningContent in zh-Hans', () => {
  it("shows the entity's jobs in Chinese", async () => {
    await renderWith(
      <EntityProvider entity={entity}>
        <EntityFinetuningContent />
      </EntityProvider>,
      { api: fakeApi(), language: 'zh-Hans' },
    );
    expect(
      await screen.findByText('fraud-model 的微调训练任务（1）'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('ft-entity-launch')).toHaveTextContent(
      '启动微调训练任务',
    );
    expect(screen.queryByText(/Fine-tuning jobs of/)).not.toBeInTheDocument();
  });

  it('shows the empty state in Chinese', async () => {
    const api = fakeApi({ entityJobs: jest.fn(async () => ({ items: [] })) });
    await renderWith(
      <EntityProvider entity={entity}>
        <EntityFinetuningContent />
      </EntityProvider>,
      { api, language: 'zh-Hans' },
    );
    expect(await screen.findByText('没有微调训练任务')).toBeInTheDocument();
    expect(
      screen.getByText(
        '在您可见的命名空间中没有 fraud-model 的 LoRA 训练任务。',
      ),
    ).toBeInTheDocument();
  });
});
