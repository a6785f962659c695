import { mountApp } from '../../kit/app';
import { Settings } from './Settings';

mountApp(Settings);
