import { mountApp } from '../../kit/app';
import { ViolationLog } from './ViolationLog';

mountApp(ViolationLog);
