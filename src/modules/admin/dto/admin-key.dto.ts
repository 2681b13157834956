import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsIn, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { ADMIN_SCOPES } from '../../../domain/admin-scopes.js';

export class CreateAdminKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 200, description: 'Who holds it, e.g. "back office".' })
  @IsString() @Length(1, 200) name!: string;

  @ApiProperty({ enum: ADMIN_SCOPES, isArray: true, minItems: 1, description: 'access:read reaches only the access endpoint.' })
  @IsArray() @ArrayMinSize(1) @IsIn(ADMIN_SCOPES, { each: true }) scopes!: string[];

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Bind the key to this tenant; other tenants answer 404.' })
  @ValidateIf((_, value) => value !== null && value !== undefined) @IsUUID() tenantId?: string | null;
}
