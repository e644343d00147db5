import { Body, Controller, Delete, HttpCode, Put } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { CONTROL_PLANE_FAULT_STEPS, type ControlPlaneFaultStep } from '@branchpoint/contracts';
import { IsIn } from 'class-validator';
import { AdminOnly } from '../common/access.decorators.js';
import { armFault } from '../common/fault-point.js';

class ArmFaultDto {
  @IsIn(CONTROL_PLANE_FAULT_STEPS, {
    message: `step must be one of: ${CONTROL_PLANE_FAULT_STEPS.join(', ')}`,
  })
  step!: ControlPlaneFaultStep;
}

/**
 * Tests only: registered when `BP_FAULT_INJECTION=on` (see AppModule), absent otherwise. An
 * armed step kills this process the moment a job reaches it.
 */
@ApiExcludeController()
@AdminOnly()
@Controller('test/fault')
export class FaultController {
  @Put()
  @HttpCode(204)
  arm(@Body() body: ArmFaultDto): void {
    armFault(body.step);
  }

  @Delete()
  @HttpCode(204)
  disarm(): void {
    armFault(null);
  }
}
