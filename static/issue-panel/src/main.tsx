import { mountApp } from '../../kit/app';
import { Panel } from './Panel';

mountApp(Panel, { compact: true });
