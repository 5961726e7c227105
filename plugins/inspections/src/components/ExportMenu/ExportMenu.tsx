import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Button, Menu, MenuItem } from '@material-ui/core';
import GetAppIcon from '@material-ui/icons/GetApp';
import type { ExportFormat } from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../../api';
import { saveBlob } from '../../lib/download';

const FORMATS: Array<{ format: ExportFormat; label: string }> = [
  { format: 'json', label: 'JSON' },
  { format: 'csv', label: 'CSV' },
  { format: 'junit', label: 'JUnit XML' },
  { format: 'html', label: 'HTML report' },
  { format: 'pdf', label: 'PDF report' },
];

/** Downloads the run as JSON, CSV, JUnit, HTML or PDF (with the user's token). */
export function ExportMenu(props: {
  runId: string;
  disabled?: boolean;
  onError: (e: Error) => void;
}) {
  const api = useApi(inspectionsApiRef);
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState<ExportFormat>();

  const download = async (format: ExportFormat) => {
    setAnchor(null);
    setBusy(format);
    try {
      const file = await api.exportRun(props.runId, format);
      saveBlob(file.blob, file.filename);
    } catch (e) {
      props.onError(e as Error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        startIcon={<GetAppIcon />}
        disabled={props.disabled || Boolean(busy)}
        onClick={e => setAnchor(e.currentTarget)}
        aria-haspopup="menu"
        data-testid="inspections-export"
      >
        {busy ? `Exporting ${busy.toUpperCase()}…` : 'Export'}
      </Button>
      <Menu
        anchorEl={anchor}
        open={Boolean(anchor)}
        onClose={() => setAnchor(null)}
      >
        {FORMATS.map(f => (
          <MenuItem key={f.format} onClick={() => download(f.format)}>
            {f.label}
          </MenuItem>
        ))}
      </Menu>
    </>
  );
}
